package io.crmsync.event;

import java.nio.charset.StandardCharsets;
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
            size += field.getKey().getBytes(StandardCharsets.UTF_8).length;
            size += field.getValue() == null ? 0 : field.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > maxBytes) {
            throw new EventRejectedException(RejectReason.TOO_LARGE,
                    "payload is " + size + " bytes, over the limit of " + maxBytes);
        }
    }

    /** Walks maps and lists at any depth. */
    void checkKeys(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (isUnsafe(key)) {
                    throw new EventRejectedException(RejectReason.UNSAFE_KEY,
                            "key '" + printable(key) + "' at " + path + " would be read by MongoDB as an operator or a path");
                }
                checkKeys(entry.getValue(), path + "." + key);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkKeys(list.get(i), path + "[" + i + "]");
            }
        }
    }

    static boolean isUnsafe(String key) {
        return key.isEmpty() || key.startsWith("$") || key.indexOf('.') >= 0 || key.indexOf('\0') >= 0;
    }

    private static String printable(String key) {
        return key.replace("\0", "\\0");
    }
}
