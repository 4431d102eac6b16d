package io.crmsync.core.connect;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code postgresql://user:password@host:5432/db} URL, as the contract's {@code LEADS_DATABASE_URL} and
 * {@code CDC_DATABASE_URL} are written, taken apart for JDBC and Debezium. {@link #toString()} never shows the
 * password.
 */
public record PostgresUrl(String host, int port, String database, String user, String password, String query) {

    public static PostgresUrl parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            // the reason only: the message would quote the URL, password included
            Throwable cause = e.getCause();
            throw new IllegalArgumentException("not a PostgreSQL URL (postgresql://user:password@host:5432/db): "
                    + (cause instanceof java.net.URISyntaxException syntax ? syntax.getReason() + " at index "
                            + syntax.getIndex() : "malformed") + "; escape reserved characters of a password with %");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("a PostgreSQL URL starts with postgresql://, as in "
                    + "postgresql://user:password@host:5432/db; got scheme '" + uri.getScheme() + "'");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || path.isEmpty()) {
            throw new IllegalArgumentException("a PostgreSQL URL names a host and a database, as in "
                    + "postgresql://user:password@host:5432/db");
        }
        String user = "postgres";
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        return new PostgresUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path, user, password,
                uri.getRawQuery());
    }

    /** The JDBC URL, without credentials (they go to the pool separately, so they are never logged with it). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
    }

    /** %-escapes only: a '+' in a URL's user info is a plus, not the space form encoding would make it. */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "postgresql://" + user + (password == null ? "" : ":***") + "@" + host + ":" + port + "/" + database;
    }
}
