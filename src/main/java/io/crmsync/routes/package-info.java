/**
 * The YAML routes while the app runs: the routes directory is watched, a changed file is validated on its own before
 * it replaces the running routes of that file, and the same validator lints a routes directory offline for CI.
 */
package io.crmsync.routes;
