package io.crmsync.core.event;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event type normalisation: {@code user_created}, {@code user.created} and {@code USER_CREATED} are one type.
 */
public final class EventTypes {

    // other spellings of a type, folded, and the type they stand for: declared under aliases: in the
    // *.mapping.yaml files (routes/), put in effect with them, so a new alias needs no build
    private static volatile Map<String, String> aliases = Map.of();

    // every run of separators, dots included, becomes one dot (compiled once: this runs for every event)
    private static final Pattern SEPARATORS = Pattern.compile("[_\\-\\s.]+");

    // a source sends a handful of spellings, so each is folded once rather than by a regex at every event. Never
    // cleared: the bounds keep a publisher that invents types (or sends a huge one) from growing it, and past them a
    // type is folded at every event, as before
    private static final int MAX_CACHED = 1_000;
    private static final int MAX_CACHED_LENGTH = 64;
    private static final Map<String, String> NORMALIZED = new ConcurrentHashMap<>();

    private EventTypes() {
    }

    /**
     * The aliases in effect from now on (the mapping files' {@code aliases:}, folded): spellings folded before go
     * through them again.
     */
    public static synchronized void useAliases(Map<String, String> declared) {
        if (!declared.equals(aliases)) {
            aliases = Map.copyOf(declared);
            NORMALIZED.clear();
        }
    }

    /** Lower case and separators folded to dots, without aliases: how an alias's own spelling is written down. */
    public static String fold(String type) {
        return SEPARATORS.matcher(type.trim().toLowerCase(Locale.ROOT)).replaceAll(".");
    }

    /** Lower case, separators folded to dots, known aliases resolved; null or blank gives null. */
    public static String normalize(String type) {
        if (type == null || type.isBlank()) {
            return null;
        }
        String cached = NORMALIZED.get(type);
        if (cached != null) {
            return cached;
        }
        String normalized = fold(type);
        String canonical = aliases.getOrDefault(normalized, normalized);
        if (type.length() <= MAX_CACHED_LENGTH && NORMALIZED.size() < MAX_CACHED) {
            NORMALIZED.put(type, canonical);
        }
        return canonical;
    }

    // an envelope keeps its type inside the JSON of its one field
    private static final Pattern ENVELOPE_TYPE = Pattern.compile("\"eventType\"\\s*:\\s*\"([^\"]*)\"");

    /**
     * The type an entry's fields give, normalised, without parsing it: its {@code eventType} field, or the one in the
     * JSON of its envelope field. For an entry that never became an event (its data was not JSON, say), so the
     * dead-letter tools and the metrics name the same type.
     */
    public static String asSent(Map<String, String> fields) {
        String type = fields.get("eventType");
        if (type == null) {
            for (String wrapper : new String[] {"event", "payload", "message"}) {
                String json = fields.get(wrapper);
                Matcher m = json == null ? null : ENVELOPE_TYPE.matcher(json);
                if (m != null && m.find()) {
                    type = m.group(1);
                    break;
                }
            }
        }
        return normalize(type);
    }

    /**
     * The type a stream key names in its last segment ({@code crm:sync:role:role_created} gives {@code role.created}),
     * or null when the key does not name one (such as {@code credit-events}).
     */
    public static String fromStreamKey(String streamKey) {
        int colon = streamKey.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        String last = streamKey.substring(colon + 1);
        return last.contains("_") ? normalize(last) : null;
    }
}
