package io.crmsync.camel.redisstreams.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splitting and masking of redis URLs. Masking is the only form in which a URL may reach a log line, a health detail
 * or an exception message, because URLs carry passwords.
 */
public final class RedisUrls {

    // user:password@ or :password@ right after the scheme
    private static final Pattern CREDENTIALS = Pattern.compile("(?<=://)([^:@/,]*):[^@/]*@");
    // password=... query parameter, accepted by RedisURI
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&#]*");

    private RedisUrls() {
    }

    /**
     * {@code redis://user:secret@host:6379} -> {@code redis://user:***@host:6379}, for every URL of a list.
     */
    public static String masked(String url) {
        if (url == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String part : url.split(",", -1)) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            String masked = CREDENTIALS.matcher(part).replaceAll("$1:***@");
            masked = PASSWORD_PARAM.matcher(masked).replaceAll("$1***");
            // a bare "redis://secret@host" is a password without user (Lettuce reads it so)
            int at = masked.indexOf('@');
            int scheme = masked.indexOf("://");
            if (at > 0 && scheme >= 0 && !masked.substring(scheme + 3, at).contains(":")) {
                masked = masked.substring(0, scheme + 3) + "***" + masked.substring(at);
            }
            out.append(masked);
        }
        return out.toString();
    }

    /**
     * Comma-separated seed URLs of a cluster. A Sentinel URL keeps its commas: they separate sentinels of one URL.
     */
    public static List<String> split(String url) {
        List<String> urls = new ArrayList<>();
        if (url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://")) {
            urls.add(url.trim());
            return urls;
        }
        for (String part : url.split(",")) {
            if (!part.isBlank()) {
                urls.add(part.trim());
            }
        }
        return urls;
    }

    static boolean isSentinel(String url) {
        return url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://");
    }
}
