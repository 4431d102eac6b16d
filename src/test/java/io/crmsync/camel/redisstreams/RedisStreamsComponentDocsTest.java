package io.crmsync.camel.redisstreams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The options and headers tables of the component's .adoc are the component's generated metadata, rendered: this test
 * fails when they differ (an option changed and the doc was not regenerated), and with {@code -Ddocs.update=true}
 * rewrites them.
 */
class RedisStreamsComponentDocsTest {

    private static final Path DOC = Path.of("src/main/docs/redis-streams-component.adoc");
    private static final String START = "// generated options: START\n";
    private static final String END = "// generated options: END\n";

    @Test
    void theDocsOptionsAreTheGeneratedMetadata() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int start = doc.indexOf(START) + START.length();
        int end = doc.indexOf(END);
        String expected = render();
        if (Boolean.getBoolean("docs.update")) {
            Files.writeString(DOC, doc.substring(0, start) + expected + doc.substring(end), StandardCharsets.UTF_8);
            return;
        }
        assertThat(doc.substring(start, end)).as("regenerate with -Ddocs.update=true").isEqualTo(expected);
    }

    @Test
    void theJarsMetadataListsTheComponentAndItsSecretRedisUrl() throws IOException {
        JsonNode json = metadata();
        assertThat(json.at("/component/scheme").asText()).isEqualTo("redis-streams");
        assertThat(json.at("/componentProperties/redisUrl/secret").asBoolean()).isTrue();
        assertThat(json.at("/properties/redisUrl").isMissingNode()).as("a component option only").isTrue();
    }

    private static String render() throws IOException {
        JsonNode json = metadata();
        return "=== Component options\n\n" + table(json.get("componentProperties"))
                + "\n=== Endpoint options\n\n" + table(json.get("properties"))
                + "\n=== Message headers\n\n" + headers(json.get("headers"));
    }

    private static String table(JsonNode options) {
        StringBuilder text = new StringBuilder("[width=\"100%\",cols=\"2,5,1,1\",options=\"header\"]\n|===\n"
                + "| Name | Description | Default | Type\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> option = it.next();
            JsonNode o = option.getValue();
            text.append("| *").append(option.getKey()).append("* (").append(o.get("group").asText()).append(")")
                    .append(o.path("secret").asBoolean() ? " secret" : "").append(" | ")
                    .append(cell(o.path("description").asText())).append(" | ")
                    .append(o.has("defaultValue") ? cell(o.get("defaultValue").asText()) : "").append(" | ")
                    .append(o.get("type").asText()).append('\n');
        }
        return text.append("|===\n").toString();
    }

    private static String headers(JsonNode headers) {
        StringBuilder text = new StringBuilder("[width=\"100%\",cols=\"2,5,1\",options=\"header\"]\n|===\n"
                + "| Name | Description | Used by\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            text.append("| *").append(header.getKey()).append("* | ")
                    .append(cell(header.getValue().path("description").asText())).append(" | ")
                    .append(header.getValue().path("label").asText()).append('\n');
        }
        return text.append("|===\n").toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static JsonNode metadata() throws IOException {
        return new ObjectMapper().readTree(Path.of("src/generated/resources/META-INF/io/crmsync/camel/redisstreams/"
                + "redis-streams.json").toFile());
    }
}
