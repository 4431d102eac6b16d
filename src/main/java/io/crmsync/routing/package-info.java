/**
 * What each event type means for the store: the beans the YAML routes' content-based routers call, each turning a
 * canonical event into a {@link io.crmsync.persistence.Write}.
 */
package io.crmsync.routing;
