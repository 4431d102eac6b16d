package io.crmsync.integration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's YAML examples, as a reader copies them: the fenced {@code yaml} blocks of one section, without the
 * indentation of the list item they stand in. Tests apply them, so an example that does not work fails the build.
 */
final class ReadmeSnippets {

    private ReadmeSnippets() {
    }

    /**
     * The jar commands ({@code java -jar target/crm-sync.jar <command> ...}) of a section's shell blocks, each as the
     * shell would hand its words to the jar: the command first, single quotes removed.
     */
    static List<List<String>> jarCommandsUnder(String heading) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new IllegalStateException("README.md has no section " + heading);
        }
        List<List<String>> commands = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("java -jar target/crm-sync.jar ")) {
                List<String> words = new ArrayList<>();
                java.util.regex.Matcher word = java.util.regex.Pattern.compile("'([^']*)'|(\\S+)")
                        .matcher(line.substring("java -jar target/crm-sync.jar ".length()));
                while (word.find()) {
                    words.add(word.group(1) != null ? word.group(1) : word.group(2));
                }
                commands.add(words);
            }
        }
        return commands;
    }

    static List<String> yamlUnder(String heading) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new IllegalStateException("README.md has no section " + heading);
        }
        List<String> snippets = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String fence = lines.get(i);
            if (fence.strip().equals("```yaml")) {
                int indent = fence.indexOf('`');
                StringBuilder snippet = new StringBuilder();
                for (i++; !lines.get(i).strip().equals("```"); i++) {
                    String line = lines.get(i);
                    snippet.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
                }
                snippets.add(snippet.toString());
            }
        }
        return snippets;
    }
}
