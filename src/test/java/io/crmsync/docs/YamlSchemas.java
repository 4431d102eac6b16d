package io.crmsync.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * One of the published schemas (schemas/), as an editor reads it, and the YAML examples of the README and docs/
 * that the schema tests hold to it.
 */
public final class YamlSchemas {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    private final JsonNode json;
    private final JsonSchema schema;

    private YamlSchemas(JsonNode json) {
        this.json = json;
        this.schema = FACTORY.getSchema(json);
    }

    /** @param file a schema under schemas/, such as {@code mapping.schema.json} */
    public static YamlSchemas of(String file) {
        return new YamlSchemas(read(Path.of("schemas", file)));
    }

    public JsonNode json() {
        return json;
    }

    public JsonSchema schema() {
        return schema;
    }

    /** What draft-07's meta-schema says of this schema: nothing when it is a valid draft-07 schema. */
    public Set<ValidationMessage> againstDraft07() {
        return FACTORY.getSchema(com.networknt.schema.SchemaLocation.of("classpath:draft-07/schema")).validate(json);
    }

    /** What the schema says of a YAML document: nothing when it validates. */
    public Set<ValidationMessage> errors(String yaml) {
        try {
            return schema.validate(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fenced yaml blocks of the README and docs/, without the indentation of a list item they stand in. */
    public static List<String> yamlBlocks() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            docs.addAll(files.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        List<String> blocks = new ArrayList<>();
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().equals("```yaml")) {
                    int indent = lines.get(i).indexOf('`');
                    StringBuilder block = new StringBuilder();
                    for (i++; !lines.get(i).strip().equals("```"); i++) {
                        String line = lines.get(i);
                        block.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
                    }
                    blocks.add(block.toString());
                }
            }
        }
        return blocks;
    }

    /** The shipped files of routes/ whose names end with {@code suffix} (such as {@code .mapping.yaml}), sorted. */
    public static List<Path> shippedFiles(String suffix) throws IOException {
        try (Stream<Path> list = Files.list(Path.of("routes"))) {
            return list.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** A JSON file as a tree. */
    public static JsonNode read(Path json) {
        try {
            return new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
