package io.crmsync.camel.redisstreams.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splitting and masking of redis URLs. Masking is the only form in which a URL may reach a log line, a health detail
 * or an exception message, because URLs carry passwords.
 */
public final class RedisUrls {

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
            out.append(PASSWORD_PARAM.matcher(maskUserInfo(part)).replaceAll("$1***"));
        }
        return out.toString();
    }

    /**
     * Everything between the scheme and the last {@code @} is user info (a password may itself hold an unencoded
     * {@code @}; a host cannot): {@code user:***} when it names a user, else {@code ***} (Lettuce reads a bare
     * {@code redis://secret@host} as a password).
     */
    private static String maskUserInfo(String url) {
        int at = url.lastIndexOf('@');
        // the scheme nearest before it: an endpoint URI may hold a Redis URL as an option value
        int scheme = at < 0 ? -1 : url.lastIndexOf("://", at);
        if (scheme < 0 || at < scheme + 3) {
            return url;
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String masked = colon >= 0 ? userInfo.substring(0, colon) + ":***" : "***";
        return url.substring(0, scheme + 3) + masked + url.substring(at);
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
