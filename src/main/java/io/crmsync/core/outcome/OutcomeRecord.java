package io.crmsync.core.outcome;

import io.crmsync.core.write.Outcome;

/**
 * What became of one message: its processing record (CONTRACT.md section 3), whichever store keeps it.
 *
 * @param origin    {@code <source>/<position>}, the record's key
 * @param attempts  deliveries so far, this one included
 * @param entityKey the key of the entity the event writes (a document's id, an agent's uid), once its mapping named
 *                  it: an entity's sync log is its records with this key
 * @param error     null unless dead-lettered
 * @param reason    why a skipped event was skipped (the mapping's skip reason), else null
 * @param target    where its write went, {@code <collection or table>/<key>}, else null
 */
public record OutcomeRecord(String origin, String eventId, String eventType, String tenantId, String entityKey,
        Outcome outcome, long attempts, String error, String reason, String target) {
}
