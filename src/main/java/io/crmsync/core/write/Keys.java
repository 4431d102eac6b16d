package io.crmsync.core.write;

import java.util.ArrayList;
import java.util.List;

/**
 * Document keys made of several parts, such as a balance's {@code {tenantId}:{entityId}}: the parts joined with
 * {@code :}, each with its own {@code %} and {@code :} percent-encoded, so two different sets of parts never make
 * the same key ({@code a:b} + {@code c} and {@code a} + {@code b:c} used to collide). Parts without either character,
 * which is every id of the contract, stay as they are.
 */
public final class Keys {

    private Keys() {
    }

    public static String join(String... parts) {
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            if (!key.isEmpty()) {
                key.append(':');
            }
            key.append(part.indexOf('%') < 0 && part.indexOf(':') < 0 ? part
                    : part.replace("%", "%25").replace(":", "%3A"));
        }
        return key.toString();
    }

    /** The parts {@link #join} joined: a key of several columns, taken apart to find its record. */
    public static List<String> split(String key) {
        List<String> parts = new ArrayList<>();
        for (String part : key.split(":", -1)) {
            parts.add(part.replace("%3A", ":").replace("%25", "%"));
        }
        return parts;
    }
}
