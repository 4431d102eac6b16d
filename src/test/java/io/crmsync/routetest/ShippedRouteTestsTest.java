package io.crmsync.routetest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.core.event.EventTypes;
import io.crmsync.core.event.ShippedAliases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShippedRouteTestsTest {

    /** docs/contract.md section 1, normalised. */
    private static final Set<String> CONTRACT_TYPES = Set.of("user.created", "user.deactivated", "user.deleted",
            "role.assigned", "role.unassigned", "role.updated", "role.permissions.updated", "role.created", "role.deleted",
            "organization.created", "credit.allocated", "credit.consumed", "credit.config.updated",
            "organization.assignment.created", "organization.assignment.updated", "organization.assignment.deactivated",
            "organization.assignment.activated", "organization.assignment.deleted");

    @BeforeAll
    static void shippedAliases() throws Exception {
        ShippedAliases.inEffect();
    }

    @Test
    void theShippedRouteTestsPublishEveryEventTypeOfTheContract() throws IOException {
        Set<String> published = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".test.yaml")).toList()) {
                RouteTestFile.Parsed parsed = RouteTestFile.parse(file.getFileName().toString(), Files.readString(file));
                assertThat(parsed.problems()).isEmpty();
                parsed.tests().forEach(test -> test.entries().forEach(entry -> published.add(type(entry))));
            }
        }
        assertThat(published).containsAll(CONTRACT_TYPES);
    }

    @Test
    void aTestFileWithAnUnknownOptionIsAProblemAtItsLine() {
        RouteTestFile.Parsed parsed = RouteTestFile.parse("x.test.yaml", """
                tests:
                  - name: a typo
                    entries:
                      - stream: s
                        fields: {eventType: user_created}
                    expect:
                      document: {}
                """);

        assertThat(parsed.problems()).containsExactly("x.test.yaml:7: unknown option 'document' in expect (options: "
                + "deadLetters, documents, outcomes)");
    }

    @Test
    void numbersCompareByValueAndDatesByInstant() {
        assertThat(RouteTestRunner.same(500, new org.bson.types.Decimal128(new java.math.BigDecimal("500.00")))).isTrue();
        assertThat(RouteTestRunner.same("2026-01-01T00:00:00Z", java.util.Date.from(java.time.Instant.parse("2026-01-01T00:00:00Z")))).isTrue();
        assertThat(RouteTestRunner.same(true, "true")).isFalse();
        assertThat(RouteTestRunner.same(null, null)).isTrue();
    }

    private static String type(RouteTest.Entry entry) {
        String type = entry.fields().get("eventType");
        if (type == null && entry.fields().containsKey("event")) {
            try {
                type = String.valueOf(new ObjectMapper().readTree(entry.fields().get("event")).get("eventType").asText());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        // the role-permissions stream gives every event the one type (crm.streams.type-overrides)
        if (entry.stream().equals("crm:sync:role_permissions")) {
            return "role.permissions.updated";
        }
        return type != null ? EventTypes.normalize(type) : EventTypes.fromStreamKey(entry.stream());
    }
}
