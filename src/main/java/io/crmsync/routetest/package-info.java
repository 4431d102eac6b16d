/**
 * Route tests for integration engineers: YAML files of entries in and documents and dead letters out, run against
 * the app with embedded servers by {@code java -jar crm-sync.jar test [dir]}.
 */
package io.crmsync.routetest;
