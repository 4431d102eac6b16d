/**
 * Operating crm-sync: health, stream status, dead-letter tools, re-driving pending entries, verification, and the
 * jar's commands.
 */
package io.crmsync.ops;
