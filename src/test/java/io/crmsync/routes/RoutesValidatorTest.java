package io.crmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesValidatorTest {

    private static final RoutesValidator VALIDATOR = RoutesValidator.offline("io.crmsync");

    @TempDir
    Path dir;

    @Test
    void theRepositoryRoutesValidateClean() throws IOException {
        assertThat(VALIDATOR.validateDirectory(Path.of("routes"))).isEmpty();
    }

    @Test
    void aWellFormedNewStreamRoutePasses() throws IOException {
        assertThat(problems(route("legacy-users", "redis-streams:legacy:users", "stream-errors", "outcomes", "completed")))
                .isEmpty();
    }

    @Test
    void aYamlSyntaxErrorIsReportedWithItsLine() throws IOException {
        List<Problem> problems = problems("- route:\n    id: x\n    from:\n      uri: \"direct:x\n      steps: [\n");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("new.camel.yaml");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("quoted scalar").contains("end of stream");
        });
    }

    @Test
    void anUnknownDslKeyIsReported() throws IOException {
        List<Problem> problems = problems("""
                - route:
                    id: typo
                    from:
                      uri: direct:typo
                      steps:
                        - bean:
                            reff: outcomes
                """);
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).contains("reff"));
    }

    @Test
    void anUnknownBeanIsReported() throws IOException {
        assertThat(problems(route("r1", "direct:r1", "handler-errors", "noSuchBean", "completed")))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("bean 'noSuchBean' is not a bean of the app"));
    }

    @Test
    void aConditionNamingABeanThatIsNoPredicateIsReported() throws IOException {
        List<Problem> problems = problems("""
                - route:
                    id: r1
                    from:
                      uri: direct:r1
                      steps:
                        - filter:
                            ref: outcomes
                            steps:
                              - to: direct:r2
                """);
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).contains("bean 'outcomes' is a EventOutcomes, not a Predicate"));
    }

    @Test
    void aMissingBeanMethodIsReported() throws IOException {
        assertThat(problems(route("r1", "direct:r1", "handler-errors", "outcomes", "finished")))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("has no method 'finished'"));
    }

    @Test
    void anUnknownComponentIsReported() throws IOException {
        List<Problem> problems = problems(route("r1", "kafkaa:topic", "handler-errors", "outcomes", "completed"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("kafkaa:topic");
            assertThat(p.line()).isEqualTo(6); // the from uri's line
        });
    }

    @Test
    void anUnknownEndpointOptionIsReported() throws IOException {
        List<Problem> problems = problems(route("r1", "redis-streams:s1?grop=g", "handler-errors", "outcomes", "completed"));
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).contains("grop"));
    }

    @Test
    void aMissingRouteConfigurationIsReported() throws IOException {
        assertThat(problems(route("r1", "direct:r1", "stream-erors", "outcomes", "completed")))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("routeConfigurationId 'stream-erors'"));
    }

    @Test
    void aRouteIdUsedInAnotherFileIsReported() throws IOException {
        assertThat(problems(route("user-streams", "direct:r1", "handler-errors", "outcomes", "completed")))
                .singleElement().satisfies(p -> assertThat(p.message())
                        .isEqualTo("route id 'user-streams' is already used in users.camel.yaml"));
    }

    @Test
    void anUnresolvablePlaceholderIsReported() throws IOException {
        assertThat(problems(route("r1", "redis-streams:s1?group={{crm.no.such.key}}", "handler-errors", "outcomes", "completed")))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("crm.no.such.key"));
    }

    @Test
    void aStoreEndpointNamingAnUnknownMappingIsReportedAtItsLine() throws IOException {
        assertThat(storeProblems("crm-mongodb:users?mapping=user-craeted"))
                .singleElement().satisfies(p -> {
                    assertThat(p.line()).isEqualTo(7);
                    assertThat(p.message()).contains("no mapping 'user-craeted' in any *.mapping.yaml");
                });
    }

    @Test
    void anUnknownWriteKindIsReported() throws IOException {
        assertThat(storeProblems("crm-mongodb:users?mapping=user-created&write=replace"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("replace"));
    }

    @Test
    void crmSyncsOwnCollectionsAreRefused() throws IOException {
        assertThat(storeProblems("crm-mongodb:eventProcessingRecords?mapping=user-created"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("'eventProcessingRecords' is crm-sync's own"));
        // the mapping's ledger: section chooses the ledger write (write=ledger before)
        assertThat(storeProblems("crm-mongodb:creditBalances?mapping=user-created"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("has no ledger: section"));
    }

    @Test
    void anInvalidCollectionNameIsRefused() throws IOException {
        assertThat(storeProblems("crm-mongodb:system.users?mapping=user-created"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("collection 'system.users'"));
    }

    @Test
    void aMappingThatDoesNotFitTheWriteKindIsReported() throws IOException {
        assertThat(storeProblems("crm-mongodb:creditLedger?write=ledger&mapping=user-created"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("has no ledger: section"));
    }

    @Test
    void aLedgerMappingMakesTheLedgerWriteWithoutAnyUriOption() throws IOException {
        assertThat(storeProblems("crm-mongodb:creditLedger?mapping=credit-allocated")).isEmpty();
    }

    @Test
    void aRouteWrittenWithWriteLedgerStillValidatesWhileItAgreesWithTheMapping() throws IOException {
        assertThat(storeProblems("crm-mongodb:creditLedger?write=ledger&balances=creditBalances&mapping=credit-allocated"))
                .isEmpty();
        assertThat(storeProblems("crm-mongodb:creditLedger?write=ledger&balances=otherBalances&mapping=credit-allocated"))
                .singleElement().satisfies(p -> assertThat(p.message())
                        .contains("remove balances= from the URI and set balances: otherBalances in the ledger: section"));
    }

    @Test
    void aBrokenMappingFileIsReportedWithItsLine() throws IOException {
        Files.writeString(dir.resolve("bad.mapping.yaml"), """
                mappings:
                  m1:
                    key: userId
                    fields:
                      createdAt: {type: datetime}
                """);

        assertThat(VALIDATOR.validateDirectory(dir)).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("bad.mapping.yaml");
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).startsWith("unknown type 'datetime'");
        });
    }

    /** A handler route of one store endpoint, beside the shipped routes and mappings. */
    private List<Problem> storeProblems(String uri) throws IOException {
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> !f.toString().endsWith(".test.yaml")).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(dir.resolve("new.camel.yaml"), """
                - route:
                    id: store-test
                    routeConfigurationId: handler-errors
                    from:
                      uri: direct:store-test
                      steps:
                        - to: "%s"
                """.formatted(uri));
        return VALIDATOR.validateDirectory(dir);
    }

    private List<Problem> problems(String yaml) throws IOException {
        for (String name : List.of("common.camel.yaml", "users.camel.yaml")) {
            Files.copy(Path.of("routes", name), dir.resolve(name));
        }
        Files.writeString(dir.resolve("new.camel.yaml"), yaml);
        return VALIDATOR.validateDirectory(dir).stream().filter(p -> !p.file().equals("users.camel.yaml")).toList();
    }

    static String route(String id, String from, String configuration, String bean, String method) {
        return """
                # a route
                - route:
                    id: %s
                    routeConfigurationId: %s
                    from:
                      uri: "%s"
                      steps:
                        - bean:
                            ref: %s
                            method: %s
                """.formatted(id, configuration, from, bean, method);
    }
}
