package io.crmsync.core.mapping;

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
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * schemas/mapping.schema.json is what editors check a {@code *.mapping.yaml} with as it is typed; {@link MappingParser}
 * stays the authority. The schema must accept what the parser accepts (the shipped files, the docs' examples) and
 * refuse what it refuses where a schema can say so, and know the same options.
 */
class MappingSchemaTest {

    static final String MODELINE = "# yaml-language-server: $schema=../schemas/mapping.schema.json";

    private static final YamlSchemas SCHEMA = YamlSchemas.of("mapping.schema.json");
    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();

    @AfterAll
    static void stop() {
        CAMEL.stop();
    }

    @Test
    void theSchemaIsAValidDraft07Schema() {
        assertThat(SCHEMA.againstDraft07()).isEmpty();
    }

    @Test
    void everyShippedMappingFileNamesTheSchemaOnItsFirstLineAndValidates() throws IOException {
        List<Path> files = YamlSchemas.shippedFiles(".mapping.yaml");
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String content = Files.readString(file);
            assertThat(content.lines().findFirst()).as(file.toString()).contains(MODELINE);
            assertThat(SCHEMA.errors(content)).as(file.toString()).isEmpty();
        }
    }

    @Test
    void theMappingExamplesOfTheReadmeAndDocsValidate() throws IOException {
        List<String> examples = new ArrayList<>();
        for (String block : YamlSchemas.yamlBlocks()) {
            if (block.startsWith("mappings:")) {
                examples.add(block);
            } else if (block.startsWith("    lookup:")) {
                // the lookups of a mapping, shown at the depth they stand in one
                examples.add("mappings:\n  m:\n    key: id\n" + block);
            } else if (block.lines().findFirst().orElse("").matches(" {2}[A-Za-z0-9][A-Za-z0-9._-]*:")) {
                // one mapping, shown at its depth under mappings: of the users' file, whose mapping it may extend
                examples.add(Files.readString(Path.of("routes/users.mapping.yaml")).stripTrailing() + "\n\n" + block);
            }
        }
        // README: user-updated, signups.mapping.yaml; docs/mappings.md: a file, types and extends, two lookups
        assertThat(examples).hasSize(6);
        for (String yaml : examples) {
            assertThat(parse(yaml).issues()).as(yaml).isEmpty();
            assertThat(SCHEMA.errors(yaml)).as(yaml).isEmpty();
        }
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("a mapping that always skips needs no key", """
                        mappings:
                          m:
                            skip:
                              - reason: not ours
                        """),
                Arguments.of("every form of a value", """
                        mappings:
                          m:
                            key: {join: [userId, {constant: r}, {simple: "${body.id}"}]}
                            exclude: userId
                            fields:
                              a: event.time
                              b: [b, {join: [c, d], separator: ", "}]
                              c: {simple: "${body.data[c]}", default: 0, type: decimal, required: true, onInsert: false}
                              d: {join: [e, f], separator: "-"}
                              e: {}
                        """),
                Arguments.of("a key with a tenant prefix and lookups by table and collection", """
                        mappings:
                          m:
                            key: {from: [entityId, {header: entityId}], tenantPrefix: true}
                            lookup:
                              - table: agents
                                when: {present: [agentUid, uid]}
                                match: {firebase_uid: agentUid}
                                copy: {agent_id: id}
                                missing: agent-not-found
                                mismatch: {match: {email: email}, reason: agent-uid-mismatch}
                              - collection: organizations
                                when: {simple: "${header.eventType} == 'x'"}
                                match: {_id: [organizationId, orgId]}
                                missing: organization-not-found
                        """),
                Arguments.of("a whole-number ledger with its limits", """
                        mappings:
                          m:
                            key: id
                            reject:
                              - reason: ledger-row-deleted
                            ledger: {amount: [amount, {constant: 1}], sign: as-sent, type: long, maxAmount: 1000, maxScale: 0,
                                     entry: {simple: "x/${body.id}"}}
                        """),
                Arguments.of("a decimal ledger with limits written as text", """
                        mappings:
                          m:
                            key: id
                            ledger: {sign: positive, maxAmount: "1e12", maxScale: "4"}
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void whatTheParserAcceptsTheSchemaAccepts(String what, String yaml) {
        assertThat(parse(yaml).issues()).isEmpty();
        assertThat(SCHEMA.errors(yaml)).isEmpty();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("an unknown option of a mapping", "mappings:\n  m:\n    key: id\n    fileds: {a: a}\n"),
                Arguments.of("an unknown option of a field", "mappings:\n  m:\n    key: id\n    fields:\n      a: {form: b}\n"),
                Arguments.of("an unknown value type", "mappings:\n  m:\n    key: id\n    fields:\n      a: {type: datetime}\n"),
                Arguments.of("a copy that is not data, fields or none", "mappings:\n  m:\n    key: id\n    copy: all\n"),
                Arguments.of("a field with two sources", "mappings:\n  m:\n    key: id\n    fields:\n      a: {from: b, constant: 1}\n"),
                Arguments.of("a separator without join", "mappings:\n  m:\n    key: id\n    fields:\n      a: {from: b, separator: x}\n"),
                Arguments.of("a field crm-sync writes itself", "mappings:\n  m:\n    key: id\n    fields:\n      tenantId: t\n"),
                Arguments.of("a ledger entry's own field", "mappings:\n  m:\n    key: id\n    ledger: {sign: positive}\n"
                        + "    fields:\n      amount: x\n"),
                Arguments.of("a part the event does not have", "mappings:\n  m:\n    key: event.user\n"),
                Arguments.of("a mapping without a key", "mappings:\n  m:\n    copy: data\n"),
                Arguments.of("a key with both from and join", "mappings:\n  m:\n    key: {from: a, join: [b]}\n"),
                Arguments.of("an unknown ledger sign", "mappings:\n  m:\n    key: id\n    ledger: {sign: up}\n"),
                Arguments.of("a ledger without a sign", "mappings:\n  m:\n    key: id\n    ledger: {amount: amount}\n"),
                Arguments.of("a ledger type that is not a number", "mappings:\n  m:\n    key: id\n    ledger: {sign: positive, type: string}\n"),
                Arguments.of("a maxScale other than 0 for a long", "mappings:\n  m:\n    key: id\n    ledger: {sign: positive, type: long, maxScale: 2}\n"),
                Arguments.of("a maxAmount that is not positive", "mappings:\n  m:\n    key: id\n    ledger: {sign: positive, maxAmount: 0}\n"),
                Arguments.of("a lookup without missing", "mappings:\n  m:\n    key: id\n    lookup:\n      - {collection: o, match: {a: b}}\n"),
                Arguments.of("a lookup without a collection", "mappings:\n  m:\n    key: id\n    lookup:\n      - {match: {a: b}, missing: x}\n"),
                Arguments.of("a system collection", "mappings:\n  m:\n    key: id\n    lookup:\n"
                        + "      - {collection: system.users, match: {a: b}, missing: x}\n"),
                Arguments.of("a reject reason that is not a code", "mappings:\n  m:\n    key: id\n    reject:\n      - reason: Row Deleted\n"),
                Arguments.of("a skip without a reason", "mappings:\n  m:\n    key: id\n    skip:\n      - when: {absent: a}\n"),
                Arguments.of("a condition in an unknown language", "mappings:\n  m:\n    key: id\n    skip:\n"
                        + "      - {when: {groovy: \"true\"}, reason: r}\n"),
                Arguments.of("a tombstone that is not deleted: true", "mappings:\n  m:\n    key: id\n    tombstone: {deleted: false}\n"),
                Arguments.of("a mapping id with a space", "mappings:\n  my mapping:\n    key: id\n"),
                Arguments.of("a file that is not under mappings:", "mapping:\n  m:\n    key: id\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void whatTheParserRefusesTheSchemaRefuses(String what, String yaml) {
        assertThat(parse(yaml).issues()).isNotEmpty();
        assertThat(SCHEMA.errors(yaml)).isNotEmpty();
    }

    @Test
    void theSchemaHasTheOptionsTheParserHas() {
        assertThat(schemaOptions("/properties")).isEqualTo(parserOptions("mappingz: {}\n"));
        String m = "mappings:\n  m:\n    key: id\n";
        assertThat(schemaOptions("/definitions/mapping/properties")).isEqualTo(parserOptions(m + "    wat: 1\n"));
        assertThat(schemaOptions("/definitions/keyOptions/properties"))
                .isEqualTo(parserOptions("mappings:\n  m:\n    key: {from: id, wat: 1}\n"));
        assertThat(schemaOptions("/definitions/lookup/properties")).isEqualTo(parserOptions(m + "    lookup: [{wat: 1}]\n"));
        assertThat(schemaOptions("/definitions/lookup/properties/mismatch/properties"))
                .isEqualTo(parserOptions(m + "    lookup: [{collection: o, match: {a: b}, missing: x, mismatch: {wat: 1}}]\n"));
        assertThat(schemaOptions("/definitions/ledger/properties")).isEqualTo(parserOptions(m + "    ledger: {sign: positive, wat: 1}\n"));
        assertThat(schemaOptions("/definitions/skip/properties")).isEqualTo(parserOptions(m + "    skip: [{reason: r, wat: 1}]\n"));
        assertThat(schemaOptions("/definitions/reject/properties")).isEqualTo(parserOptions(m + "    reject: [{reason: r, wat: 1}]\n"));
        // beside these, a field and a condition take one expression, in any Camel language: checked below
        Set<String> field = schemaOptions("/definitions/fieldOptions/properties");
        field.removeAll(schemaOptions("/definitions/expression/properties"));
        assertThat(field).isEqualTo(parserOptions(m + "    fields:\n      a: {wat: 1}\n"));
        Set<String> condition = schemaOptions("/definitions/condition/properties");
        condition.removeAll(languages());
        assertThat(condition).isEqualTo(parserOptions(m + "    skip: [{when: {wat: 1}, reason: r}]\n"));
    }

    @Test
    void theSchemaHasEveryCamelLanguageOnTheClassPath() throws IOException {
        Set<String> onTheClassPath = new TreeSet<>();
        for (Resource language : new PathMatchingResourcePatternResolver()
                .getResources("classpath*:META-INF/services/org/apache/camel/language/*")) {
            onTheClassPath.add(language.getFilename());
        }
        assertThat(onTheClassPath).contains("simple");
        // a condition may be in any of them; a value too, but {constant: x} is a constant, not the language
        assertThat(languages()).isEqualTo(onTheClassPath);
        Set<String> values = schemaOptions("/definitions/expression/properties");
        values.add("constant");
        assertThat(values).isEqualTo(onTheClassPath);
        Set<String> fields = schemaOptions("/definitions/fieldOptions/properties");
        fields.add("constant");
        assertThat(fields).containsAll(onTheClassPath);
    }

    /** The languages the schema knows for a condition. */
    private static Set<String> languages() {
        Set<String> languages = schemaOptions("/definitions/condition/properties");
        languages.removeAll(Set.of("present", "absent"));
        return languages;
    }

    private static Set<String> schemaOptions(String pointer) {
        JsonNode properties = SCHEMA.json().at(pointer);
        assertThat(properties.isObject()).as(pointer).isTrue();
        Set<String> names = new TreeSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static final Pattern OPTIONS = Pattern.compile("unknown option 'wat'.*\\(options: (.*?)(?:, or a Camel language.*)?\\)$");

    /** The options the parser names when it refuses an unknown one ('wat', or 'mappingz' at the top). */
    private static Set<String> parserOptions(String yaml) {
        for (MappingParser.Issue issue : parse(yaml).issues()) {
            Matcher m = OPTIONS.matcher(issue.message().replace("'mappingz'", "'wat'"));
            if (m.find()) {
                return new TreeSet<>(Arrays.asList(m.group(1).split(", ")));
            }
        }
        throw new AssertionError("the parser names no options for " + yaml + ": " + parse(yaml).issues());
    }

    private static MappingParser.Result parse(String yaml) {
        return new MappingParser(CAMEL).parse("test.mapping.yaml", yaml);
    }


}
