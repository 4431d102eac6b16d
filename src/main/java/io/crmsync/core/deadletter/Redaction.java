package io.crmsync.core.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Keeps secrets and bulk out of {@code dlq.error}: credentials in URIs are masked and the text is capped at 1 KiB.
 */
public final class Redaction {

    // greedy to the last @ of the token: a password may hold an unencoded @
    private static final Pattern URI_CREDENTIALS = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)([^/@\\s:]*):\\S*@");
    private static final Pattern PASSWORD_PAIRS = Pattern.compile("(?i)(password|passwd|pwd|secret|token)(\\s*[=:]\\s*)([^\\s,;&]+)");
    static final int MAX_BYTES = 1024;

    private Redaction() {
    }

    /** The failure and its root cause when it differs: a wrapper's own message (CamelExecutionException) says nothing. */
    static String error(Throwable failure) {
        String text = failure == null ? "unknown" : describe(failure);
        Throwable root = root(failure);
        if (root != null && root != failure) {
            text += " (caused by " + describe(root) + ")";
        }
        return redacted(text);
    }

    /** The deepest cause of a failure, on one line and without credentials: what a command prints instead of a trace. */
    public static String rootCause(Throwable failure) {
        return redacted(failure == null ? "unknown" : describe(root(failure)).replaceAll("\\s*\\R\\s*", " "));
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String redacted(String text) {
        text = URI_CREDENTIALS.matcher(text).replaceAll("$1$2:***@");
        text = PASSWORD_PAIRS.matcher(text).replaceAll("$1$2***");
        return capUtf8(text, MAX_BYTES);
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static String capUtf8(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        StringBuilder capped = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes - 3) {
                break;
            }
            capped.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return capped.append("...").toString();
    }
}
