package io.crmsync.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MappingParserTest {

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();

    @AfterAll
    static void stop() {
        CAMEL.stop();
    }

    @Test
    void theShippedMappingsParseWithoutIssues() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".mapping.yaml")).toList()) {
                MappingParser.Result result = parse(Files.readString(file));
                assertThat(result.issues()).as(file.toString()).isEmpty();
                assertThat(result.mappings()).as(file.toString()).isNotEmpty();
            }
        }
    }

    @Test
    void theMappingExamplesOfTheDocsParseWithoutIssues() throws IOException {
        List<String> blocks = new ArrayList<>();
        String[] parts = Files.readString(Path.of("docs/mappings.md")).split("```yaml\n");
        for (int i = 1; i < parts.length; i++) {
            blocks.add(parts[i].substring(0, parts[i].indexOf("```")));
        }
        // a whole file (two: the options, types and extends), or the lookups of a mapping, at the depth they stand in one
        List<String> mappings = blocks.stream().filter(b -> b.startsWith("mappings:") || b.startsWith("    lookup:"))
                .map(b -> b.startsWith("mappings:") ? b : "mappings:\n  m:\n    key: id\n" + b).toList();
        assertThat(mappings).hasSize(4);
        mappings.forEach(yaml -> assertThat(parse(yaml).issues()).as(yaml).isEmpty());
    }

    @Test
    void anUnknownValueTypeIsAnIssueAtItsLine() {
        assertThat(issue("""
                mappings:
                  m:
                    key: id
                    fields:
                      createdAt: {type: datetime}
                """)).isEqualTo(new MappingParser.Issue(5, "unknown type 'datetime'; the types are string, date, int, long, "
                + "double, decimal, boolean, object, strings"));
    }

    @Test
    void anUnknownOptionIsAnIssueNamingTheOptions() {
        assertThat(issue("""
                mappings:
                  m:
                    key: id
                    field: {}
                """).message()).isEqualTo("unknown option 'field' in mapping m (options: copy, exclude, extends, fields, "
                + "key, ledger, lookup, reject, skip, tombstone, types)");
    }

    @Test
    void aLanguageThatIsNotOnTheClassPathIsAnIssue() {
        assertThat(issue("""
                mappings:
                  m:
                    key: id
                    fields:
                      name: {groovy: "1 + 1"}
                """)).satisfies(i -> {
            assertThat(i.line()).isEqualTo(5);
            assertThat(i.message()).startsWith("unknown option 'groovy'");
        });
    }

    @Test
    void aSimpleSyntaxErrorIsAnIssueAtItsLine() {
        assertThat(issue("""
                mappings:
                  m:
                    key: id
                    skip:
                      - when: {simple: "${body.data[x] == 1"}
                        reason: never
                """)).satisfies(i -> {
            assertThat(i.line()).isEqualTo(5);
            assertThat(i.message()).startsWith("simple condition '${body.data[x] == 1'");
        });
    }

    @Test
    void aLookupNeedsAValidCollectionAndANamedReason() {
        MappingParser.Result result = parse("""
                mappings:
                  m:
                    key: id
                    lookup:
                      - collection: "$bad"
                        match: {code: code}
                """);
        assertThat(result.issues()).extracting(MappingParser.Issue::message).anySatisfy(m -> assertThat(m).startsWith("a lookup needs a collection"))
                .anySatisfy(m -> assertThat(m).startsWith("a lookup needs missing:"));
    }

    @Test
    void aMappingWithoutKeyIsAnIssueUnlessItAlwaysSkips() {
        assertThat(issue("mappings:\n  m:\n    fields: {a: a}\n").message()).isEqualTo("mapping m has no key: which fields name the document");
        assertThat(parse("mappings:\n  m:\n    skip:\n      - reason: not ours\n").issues()).isEmpty();
    }

    @Test
    void aJoinWithoutAListOrWithAnUnknownOptionIsAnIssue() {
        assertThat(issue("mappings:\n  m:\n    key: a\n    fields:\n      n: {join: first}\n").message())
                .isEqualTo("join takes a list of values, such as [firstName, lastName]");
        assertThat(issue("mappings:\n  m:\n    key: [a, {join: [b, c], glue: \"-\"}]\n").message())
                .isEqualTo("unknown option 'glue' of join (options: join, separator)");
    }

    @Test
    void aMisspelledConditionIsAnIssueNamingTheConditions() {
        assertThat(issue("mappings:\n  m:\n    key: a\n    skip:\n      - when: {presnt: b}\n        reason: r\n").message())
                .isEqualTo("unknown option 'presnt' (options: absent, present, or a Camel language such as simple)");
    }

    @Test
    void anUnknownPartOfTheEventIsAnIssue() {
        assertThat(issue("mappings:\n  m:\n    key: event.uuid\n").message()).startsWith("'event.uuid' is not a part of the event");
    }

    @Test
    void aKeyGivenTwiceIsAnIssue() {
        assertThat(issue("mappings:\n  m:\n    key: a\n    key: b\n")).isEqualTo(new MappingParser.Issue(4, "'key' is given twice in mapping m"));
    }

    @Test
    void aFieldNameThatWouldBeAPathIsAnIssue() {
        assertThat(issue("mappings:\n  m:\n    key: a\n    fields:\n      a.b: c\n").message()).contains("is not a field name");
    }

    @Test
    void aTombstoneThatDoesNotMarkTheDocumentDeletedIsAnIssue() {
        assertThat(issue("mappings:\n  m:\n    key: a\n    tombstone: {deleted: false}\n").message())
                .startsWith("a tombstone marks the document deleted: true, not false");
    }

    @Test
    void aLedgerTypeMustBeNumeric() {
        assertThat(issue("mappings:\n  m:\n    key: a\n    ledger: {sign: positive, type: string}\n").message())
                .isEqualTo("a ledger's type is decimal, long, int or double, not string");
    }

    @Test
    void aLedgerDeclaresItsRangeAndPrecisionWithDefaults() {
        Mapping.Ledger declared = parse("mappings:\n  m:\n    key: a\n    ledger: {sign: positive, maxAmount: 5000, maxScale: 2}\n")
                .mappings().get(0).ledger();
        Mapping.Ledger defaults = parse("mappings:\n  m:\n    key: a\n    ledger: {sign: positive}\n").mappings().get(0).ledger();

        assertThat(declared.maxAmount()).isEqualByComparingTo("5000");
        assertThat(declared.maxScale()).isEqualTo(2);
        assertThat(defaults.maxAmount()).isEqualByComparingTo("1000000000000000");
        assertThat(defaults.maxScale()).isEqualTo(8);
    }

    @Test
    void aLedgerMaxAmountMustBeAPositiveNumber() {
        assertThat(issue("mappings:\n  m:\n    key: a\n    ledger: {sign: positive, maxAmount: lots}\n"))
                .isEqualTo(new MappingParser.Issue(4, "a ledger's maxAmount is a positive number, the largest absolute "
                        + "amount accepted, not 'lots'"));
        assertThat(issue("mappings:\n  m:\n    key: a\n    ledger: {sign: positive, maxAmount: -5}\n").message())
                .endsWith("not '-5'");
    }

    @Test
    void aLedgerMaxAmountMustFitTheLedgerType() {
        assertThat(issue("mappings:\n  m:\n    key: a\n    ledger: {sign: positive, type: int, maxAmount: 1e12}\n").message())
                .isEqualTo("a ledger's maxAmount of 1000000000000 is more than its type (int) holds");
    }

    @Test
    void aLedgerMaxScaleIsAWholeNumberAndZeroForWholeTypes() {
        assertThat(issue("mappings:\n  m:\n    key: a\n    ledger: {sign: positive, maxScale: 2.5}\n").message())
                .isEqualTo("a ledger's maxScale is the most decimal places an amount may carry: a whole number from 0 "
                        + "to 34, not '2.5'");
        assertThat(issue("mappings:\n  m:\n    key: a\n    ledger: {sign: positive, type: long, maxScale: 2}\n").message())
                .isEqualTo("a ledger's maxScale is the most decimal places an amount may carry: 0 for a long, not '2'");
    }

    @Test
    void aDecimalLedgersLimitsMustLeaveItsBalanceRoomToAdd() {
        assertThat(issue("mappings:\n  m:\n    key: a\n    ledger: {sign: positive, maxAmount: 1e25, maxScale: 8}\n").message())
                .isEqualTo("a ledger's maxAmount (26 digits before the point) and maxScale (8) need at most 28 digits "
                        + "together, so a balance of many such amounts still fits the 34 digits of a decimal");
    }

    @Test
    void aLookupMayNameATableAndAMismatch() {
        MappingParser.Result result = parse("""
                mappings:
                  m:
                    key: agentUid
                    lookup:
                      - table: agents
                        match: {firebase_uid: agentUid}
                        copy: {agent_id: id}
                        missing: agent-not-found
                        mismatch: {match: {email: email}, reason: agent-uid-mismatch}
                """);

        Mapping.Lookup lookup = result.mappings().get(0).lookups().get(0);
        assertThat(result.issues()).isEmpty();
        assertThat(lookup.collection()).isEqualTo("agents");
        assertThat(lookup.mismatch().reason().code()).isEqualTo("agent-uid-mismatch");
        assertThat(lookup.mismatch().match()).containsOnlyKeys("email");
    }

    @Test
    void aMismatchWithoutAReasonIsAnIssueAtItsLine() {
        assertThat(issue("""
                mappings:
                  m:
                    key: agentUid
                    lookup:
                      - table: agents
                        match: {firebase_uid: agentUid}
                        missing: agent-not-found
                        mismatch: {match: {email: email}}
                """)).isEqualTo(new MappingParser.Issue(8, "a mismatch needs reason: the dead-letter reason when only "
                + "its match finds a record, such as agent-uid-mismatch"));
    }

    private static MappingParser.Issue issue(String yaml) {
        MappingParser.Result result = parse(yaml);
        assertThat(result.issues()).hasSize(1);
        assertThat(result.mappings()).isEmpty();
        return result.issues().get(0);
    }

    private static MappingParser.Result parse(String yaml) {
        return new MappingParser(CAMEL).parse("test.mapping.yaml", yaml);
    }
}
