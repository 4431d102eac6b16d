package io.crmsync.core.write;

import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The write rule every store shares, decided on one document's (or row's) stamps alone, so MongoDB and PostgreSQL
 * converge the same way:
 * <ul>
 * <li>each field keeps the value of the newest event that set it ({@code setOnce} fields: the earliest's);</li>
 * <li>a delete at T ends the document's history before T: every field an older event set is removed, and an event
 * older than T writes nothing, whenever it arrives. Which fields survive a delete therefore does not depend on
 * whether older events came before or after it;</li>
 * <li>{@code deleted: true} marks the document while its newest event is a delete. An event newer than the delete
 * brings the document back: the mark goes, the delete's other fields stay until something newer sets them;</li>
 * <li>a {@code setOnce} field (the earliest event's value wins, such as {@code createdAt}) is a fact about the
 * document's first event, so deletes leave it alone: an event older than a delete still sets it, and a delete does
 * not remove it. Were it removed, which event's value is left would depend on arrival order.</li>
 * </ul>
 * Kept with the fields' stamps, under keys that are not fields: the newest delete's stamp ({@link #DELETE}), so a
 * document brought back still refuses what came before its delete; the newest other event's ({@link #LIVE}), so
 * whether the document is deleted does not depend on which fields that event won; and the fields written as
 * {@code setOnce} ({@link #ONCE}).
 */
public final class StampedMerge {

    /** The field that marks a deleted document. */
    public static final String DELETED = "deleted";
    /** Key of the newest delete's stamp among the stamps; not a field. */
    public static final String DELETE = "*delete";
    /** Key of the newest non-delete event's stamp. */
    public static final String LIVE = "*live";
    /** Key of the comma-separated fields written as setOnce. */
    public static final String ONCE = "*once";

    /**
     * One event's change of the document.
     *
     * @param force the event wins a tie with its own stamp: a repair writes again what the store should hold
     */
    public record Change(Stamp stamp, Map<String, Object> fields, Set<String> setOnce, boolean tombstone, boolean force) {
    }

    /**
     * What to write: values to set, fields to remove, and each change's outcome. {@code stamps} is every stamp of the
     * document afterwards; a store writes those that differ from the ones it read.
     */
    public record Plan(Map<String, Object> set, Set<String> unset, Map<String, String> stamps,
            Map<Change, Outcome> outcomes, boolean writes) {
    }

    private StampedMerge() {
    }

    /** The newest delete a document has seen, or null. */
    public static String deletedAt(Map<String, String> stamps) {
        String delete = stamps.get(DELETE);
        String mark = stamps.get(DELETED);
        // written before deletes had their own stamp: the mark's stamp, when a delete wrote it (stamps older still do
        // not say whether a delete wrote them; a mark is a delete's)
        return delete == null && mark != null && new Stamp(mark).mayBeDelete() ? mark : delete;
    }

    /** Whether a key among the stamps names a field (the others are {@link #DELETE}, {@link #LIVE}, {@link #ONCE}). */
    public static boolean isField(String key) {
        return !key.startsWith("*");
    }

    /**
     * Greater than 0 when a change with {@code stamp} replaces a field last written with {@code written} (null: never
     * written): the newer event wins, or for a setOnce field the earlier one.
     */
    public static int order(String written, Stamp stamp, boolean setOnce) {
        if (written == null) {
            return 1;
        }
        return setOnce ? written.compareTo(stamp.value()) : stamp.value().compareTo(written);
    }

    /**
     * The fields of an event that {@code verify} should find in the store: none when a delete since has ended what it
     * could write, and never a delete's own mark, which a newer event removes.
     */
    public static List<String> verifiable(Map<String, String> stamps, Stamp stamp, Set<String> fields, boolean tombstone) {
        if (shadowed(stamps, stamp)) {
            return List.of();
        }
        return fields.stream().filter(field -> !(tombstone && field.equals(DELETED))).toList();
    }

    /** Whether an event with this stamp comes before the document's newest delete, so it can change nothing. */
    public static boolean shadowed(Map<String, String> stamps, Stamp stamp) {
        String delete = deletedAt(stamps);
        return delete != null && stamp.value().compareTo(delete) < 0;
    }

    public static Plan plan(Map<String, String> stored, List<Change> changes) {
        Map<String, String> stamps = new HashMap<>(stored);
        String delete = deletedAt(stored);
        for (Change change : changes) {
            if (change.tombstone() && (delete == null || change.stamp().value().compareTo(delete) > 0)) {
                delete = change.stamp().value();
            }
        }
        Map<String, Object> set = new LinkedHashMap<>();
        Set<String> unset = new LinkedHashSet<>();
        Set<String> once = new TreeSet<>(stored.containsKey(ONCE) && !stored.get(ONCE).isEmpty()
                ? List.of(stored.get(ONCE).split(",")) : List.of());
        if (delete != null) {
            stamps.put(DELETE, delete);
            for (Map.Entry<String, String> field : List.copyOf(stamps.entrySet())) {
                if (isField(field.getKey()) && !once.contains(field.getKey()) && field.getValue().compareTo(delete) < 0) {
                    unset.add(field.getKey());
                    stamps.remove(field.getKey());
                }
            }
        }
        // by identity: a Change's own hash would hash every field value
        Map<Change, Outcome> outcomes = new IdentityHashMap<>();
        for (Change change : changes.stream().sorted(Comparator.comparing(Change::stamp)).toList()) {
            boolean before = delete != null && change.stamp().value().compareTo(delete) < 0;
            if (!change.tombstone() && (stamps.get(LIVE) == null || change.stamp().value().compareTo(stamps.get(LIVE)) > 0)) {
                stamps.put(LIVE, change.stamp().value());
            }
            outcomes.put(change, apply(change, before, stamps, once, set, unset));
        }
        if (!once.isEmpty()) {
            stamps.put(ONCE, String.join(",", once));
        }
        if (delete != null) {
            mark(delete, stamps, set, unset);
        }
        return new Plan(set, unset, stamps, outcomes, !set.isEmpty() || !unset.isEmpty() || !stamps.equals(stored));
    }

    /** @param beforeDelete the change is older than the document's delete: only its setOnce fields may still count */
    private static Outcome apply(Change change, boolean beforeDelete, Map<String, String> stamps, Set<String> once,
            Map<String, Object> set, Set<String> unset) {
        boolean newerThanSome = false;
        boolean olderThanSome = beforeDelete;
        for (Map.Entry<String, Object> field : change.fields().entrySet()) {
            boolean setOnce = change.setOnce().contains(field.getKey());
            if (beforeDelete && !setOnce) {
                continue;
            }
            if (setOnce) {
                once.add(field.getKey());
            }
            int order = order(stamps.get(field.getKey()), change.stamp(), setOnce);
            if (order > 0 || (order == 0 && change.force())) {
                newerThanSome = true;
                set.put(field.getKey(), field.getValue());
                stamps.put(field.getKey(), change.stamp().value());
                unset.remove(field.getKey());
            } else if (order < 0) {
                olderThanSome = true;
            }
        }
        // every field either ours already (a redelivery) or newer than us: stale only if something was newer
        return !newerThanSome && olderThanSome ? Outcome.STALE : Outcome.PROCESSED;
    }

    /** {@code deleted: true} while no event newer than the delete has been applied; removed once one has. */
    private static void mark(String delete, Map<String, String> stamps, Map<String, Object> set, Set<String> unset) {
        String live = stamps.get(LIVE);
        boolean broughtBack = live != null && live.compareTo(delete) > 0;
        String mark = stamps.get(DELETED);
        if (!broughtBack && !delete.equals(mark)) {
            set.put(DELETED, Boolean.TRUE);
            stamps.put(DELETED, delete);
            unset.remove(DELETED);
        } else if (broughtBack && mark != null && new Stamp(mark).mayBeDelete()) {
            // the mark a delete wrote (or one stamped before stamps said so); a newer event's own deleted value stays
            set.remove(DELETED);
            stamps.remove(DELETED);
            unset.add(DELETED);
        }
    }
}
