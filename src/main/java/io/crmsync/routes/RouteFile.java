package io.crmsync.routes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.ResourceHelper;

/**
 * One {@code *.camel.yaml} file as read at one moment: its name, content and content hash. The content is what gets
 * validated and then applied, so a file rewritten between the two can never slip unvalidated text into the app.
 *
 * @param name    the file name, unique within the flat routes directory; routes are tracked by it
 * @param content the file's text
 * @param hash    SHA-256 of the content; a change is a different hash, whatever the file system reported
 */
record RouteFile(String name, String content, String hash) {

    static final String GLOB = "*.camel.yaml";
    /** The mapping files beside the routes (io.crmsync.core.mapping). */
    static final String MAPPINGS_GLOB = "*.mapping.yaml";

    static RouteFile of(String name, String content) {
        return new RouteFile(name, content, sha256(content));
    }

    /**
     * Every routes file of the directory by name. Files are read through symlinks, so a Kubernetes ConfigMap mount
     * ({@code x.camel.yaml -> ..data/x.camel.yaml}, {@code ..data -> ..2024_...}) reads as its current version.
     */
    static Map<String, RouteFile> readDirectory(Path dir) throws IOException {
        return readDirectory(dir, GLOB);
    }

    static Map<String, RouteFile> readDirectory(Path dir, String glob) throws IOException {
        Map<String, RouteFile> files = new TreeMap<>();
        try (DirectoryStream<Path> paths = Files.newDirectoryStream(dir, glob)) {
            for (Path path : paths) {
                if (Files.isRegularFile(path)) {
                    String name = path.getFileName().toString();
                    files.put(name, of(name, Files.readString(path, StandardCharsets.UTF_8)));
                }
            }
        }
        return files;
    }

    /** The content as a Camel resource; the location keeps the file name so route sources still name the file. */
    Resource resource() {
        return ResourceHelper.fromString("file:" + name, content);
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
