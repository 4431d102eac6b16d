package io.crmsync.core.mapping;

import java.util.regex.Pattern;

/**
 * Which names a mapping or store endpoint may give a MongoDB collection.
 */
public final class CollectionNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}");

    private CollectionNames() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches() && !name.startsWith("system.");
    }

    public static String rule() {
        return "letters, digits, '_', '.' or '-', at most 120, not starting with system.";
    }
}
