/**
 * Starting without the servers: each server crm-sync needs is a gate that opens once it answers (and its set-up, such
 * as index creation or table checks, has run), readiness names the gates still closed, and the stream consumers start
 * only once the gates they need are open.
 */
package io.crmsync.startup;
