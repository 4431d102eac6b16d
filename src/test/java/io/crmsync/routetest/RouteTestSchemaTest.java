package io.crmsync.routetest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmsync.docs.YamlSchemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * schemas/route-test.schema.json is what editors check a {@code *.test.yaml} with as it is typed; {@link RouteTestFile}
 * stays the authority. The schema must accept what the runner reads (the shipped tests, the docs' examples) and refuse
 * what it refuses where a schema can say so, and know the same options.
 */
class RouteTestSchemaTest {

    static final String MODELINE = "# yaml-language-server: $schema=../schemas/route-test.schema.json";

    private static final YamlSchemas SCHEMA = YamlSchemas.of("route-test.schema.json");

    private static final String ENTRIES = "    entries:\n      - {stream: s, fields: {eventType: user_created}}\n";

    @Test
    void theSchemaIsAValidDraft07Schema() {
        assertThat(SCHEMA.againstDraft07()).isEmpty();
    }

    @Test
    void everyShippedTestFileNamesTheSchemaOnItsFirstLineAndValidates() throws IOException {
        List<Path> files = YamlSchemas.shippedFiles(".test.yaml");
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String content = Files.readString(file);
            assertThat(content.lines().findFirst()).as(file.toString()).contains(MODELINE);
            assertThat(SCHEMA.errors(content)).as(file.toString()).isEmpty();
        }
    }

    @Test
    void theRouteTestExamplesOfTheReadmeAndDocsValidate() throws IOException {
        List<String> examples = new ArrayList<>();
        for (String block : YamlSchemas.yamlBlocks()) {
            if (block.startsWith("tests:")) {
                examples.add(block);
            } else if (block.startsWith("  - name:")) {
                // one test, shown at its depth under tests:
                examples.add("tests:\n" + block);
            }
        }
        // README: Add an event type; docs/route-tests.md
        assertThat(examples).hasSize(2);
        for (String yaml : examples) {
            assertThat(RouteTestFile.parse("example.test.yaml", yaml).problems()).as(yaml).isEmpty();
            assertThat(SCHEMA.errors(yaml)).as(yaml).isEmpty();
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("an unknown option of expect", "tests:\n  - name: t\n" + ENTRIES + "    expect:\n      document: {}\n"),
                Arguments.of("an unknown option of a test", "tests:\n  - name: t\n" + ENTRIES + "    expect: {}\n    given_: {}\n"),
                Arguments.of("a test without a name", "tests:\n  -" + ENTRIES.substring(3) + "    expect: {}\n"),
                Arguments.of("a test without entries", "tests:\n  - name: t\n    expect: {}\n"),
                Arguments.of("a test without expect", "tests:\n  - name: t\n" + ENTRIES),
                Arguments.of("an entry without fields", "tests:\n  - name: t\n    entries: [{stream: s}]\n    expect: {}\n"),
                Arguments.of("a document without its _id", "tests:\n  - name: t\n" + ENTRIES
                        + "    expect:\n      documents: {users: [{email: a}]}\n"),
                Arguments.of("a dead letter without its reason", "tests:\n  - name: t\n" + ENTRIES
                        + "    expect:\n      deadLetters: [{entry: 1}]\n"),
                Arguments.of("a file that is not tests:", "test:\n  - name: t\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void whatTheRunnerRefusesTheSchemaRefuses(String what, String yaml) {
        assertThat(RouteTestFile.parse("x.test.yaml", yaml).problems()).isNotEmpty();
        assertThat(SCHEMA.errors(yaml)).isNotEmpty();
    }

    @Test
    void anOutcomeThatIsNoProcessingStatusIsRefused() {
        // the runner reads it, and the test can only fail: no processing record has that status
        assertThat(SCHEMA.errors("tests:\n  - name: t\n" + ENTRIES + "    expect:\n      outcomes: [done]\n")).isNotEmpty();
    }

    @Test
    void theSchemaHasTheOptionsTheRunnerHas() {
        String test = "tests:\n  - name: t\n" + ENTRIES;
        assertThat(schemaOptions("/properties")).isEqualTo(runnerOptions("wat: 1\n"));
        assertThat(schemaOptions("/definitions/test/properties")).isEqualTo(runnerOptions(test + "    expect: {}\n    wat: 1\n"));
        assertThat(schemaOptions("/definitions/entry/properties"))
                .isEqualTo(runnerOptions("tests:\n  - name: t\n    entries: [{stream: s, fields: {}, wat: 1}]\n    expect: {}\n"));
        assertThat(schemaOptions("/definitions/expect/properties")).isEqualTo(runnerOptions(test + "    expect: {wat: 1}\n"));
        assertThat(schemaOptions("/definitions/deadLetter/properties"))
                .isEqualTo(runnerOptions(test + "    expect:\n      deadLetters: [{reason: r, wat: 1}]\n"));
    }

    private static Set<String> schemaOptions(String pointer) {
        JsonNode properties = SCHEMA.json().at(pointer);
        assertThat(properties.isObject()).as(pointer).isTrue();
        Set<String> names = new TreeSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static final Pattern OPTIONS = Pattern.compile("unknown option 'wat'.*\\(options: (.*)\\)$");

    /** The options the runner names when it refuses the unknown option 'wat'. */
    private static Set<String> runnerOptions(String yaml) {
        List<String> problems = RouteTestFile.parse("x.test.yaml", yaml).problems();
        for (String problem : problems) {
            Matcher m = OPTIONS.matcher(problem);
            if (m.find()) {
                return new TreeSet<>(Arrays.asList(m.group(1).split(", ")));
            }
        }
        throw new AssertionError("the runner names no options for " + yaml + ": " + problems);
    }


}
