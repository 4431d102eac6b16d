package io.crmsync.core.event;

import java.util.List;
import java.util.Map;

/**
 * Refuses what must never reach MongoDB: keys that would act as operators or paths, oversize payloads (contract
 * section 6), and payloads nested deeper than a MongoDB document may be.
 */
final class PayloadGuard {

    /**
     * MongoDB documents at most 100 levels of nesting in a stored document (the document itself is the first). A
     * payload's {@code data} or {@code metadata} is stored as a field of a document at most (a mapping's
     * {@code data: event.data}), which adds that one level: so a payload may have 99. Past them, a real server refuses
     * the document (past about 180 levels) or the whole bulk write holding it (past 200), which the stand-in of the
     * tests never does; refusing it here names the reason and spares the other events of its batch.
     */
    static final int MAX_DEPTH = 99;

    private final long maxBytes;

    PayloadGuard(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void checkSize(Map<String, String> fields) {
        long size = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            size += utf8Length(field.getKey()) + utf8Length(field.getValue());
        }
        if (size > maxBytes) {
            throw new EventRejectedException(RejectReason.TOO_LARGE,
                    "payload is " + size + " bytes, over the limit of " + maxBytes);
        }
    }

    /**
     * @param levels the levels {@code value} may have; a map or list is one, each map or list inside it one more
     */
    void checkDepth(Object value, int levels, String name) {
        if (deeperThan(value, levels)) {
            throw new EventRejectedException(RejectReason.TOO_DEEP, name + " is nested deeper than " + levels
                    + " levels: MongoDB stores at most 100 levels, and the document holding it adds one");
        }
    }

    // stops at the first branch past the limit, so a 1,000-level payload costs no more than a 100-level one
    private static boolean deeperThan(Object value, int levels) {
        if (value instanceof Map<?, ?> map) {
            if (levels == 0) {
                return true;
            }
            for (Object inner : map.values()) {
                if (deeperThan(inner, levels - 1)) {
                    return true;
                }
            }
        } else if (value instanceof List<?> list) {
            if (levels == 0) {
                return true;
            }
            for (Object inner : list) {
                if (deeperThan(inner, levels - 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Walks maps and lists at any depth. */
    void checkKeys(Object value, String path) {
        Unsafe unsafe = firstUnsafe(value);
        if (unsafe != null) {
            throw new EventRejectedException(RejectReason.UNSAFE_KEY, "key '" + printable(unsafe.key()) + "' at " + path
                    + unsafe.at() + " would be read by MongoDB as an operator or a path");
        }
    }

    /** An unsafe key, and the path to the map holding it from where the walk began. */
    private record Unsafe(String key, String at) {
    }

    // the path is built on the way back from an unsafe key only: every event's keys are checked, and almost all pass
    private static Unsafe firstUnsafe(Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (isUnsafe(key)) {
                    return new Unsafe(key, "");
                }
                Unsafe inner = firstUnsafe(entry.getValue());
                if (inner != null) {
                    return new Unsafe(inner.key(), "." + key + inner.at());
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Unsafe inner = firstUnsafe(list.get(i));
                if (inner != null) {
                    return new Unsafe(inner.key(), "[" + i + "]" + inner.at());
                }
            }
        }
        return null;
    }

    /** Bytes of {@code text} in UTF-8 as String.getBytes counts them (an unpaired surrogate is one '?'), without encoding it. */
    static long utf8Length(String text) {
        if (text == null) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    static boolean isUnsafe(String key) {
        return key.isEmpty() || key.startsWith("$") || key.indexOf('.') >= 0 || key.indexOf('\0') >= 0;
    }

    private static String printable(String key) {
        return key.replace("\0", "\\0");
    }
}
