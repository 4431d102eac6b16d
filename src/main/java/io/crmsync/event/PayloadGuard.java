package io.crmsync.event;

import java.util.List;
import java.util.Map;

/**
 * Refuses what must never reach MongoDB: keys that would act as operators or paths, and oversize payloads
 * (contract section 6).
 */
final class PayloadGuard {

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
