/**
 * Settings that are not route settings, and the wiring of the beans the YAML routes call.
 */
package io.crmsync.config;
