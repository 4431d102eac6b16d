package io.crmsync.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.write.ValueType;
import io.crmsync.core.write.Write;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MappingTest {

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();
    private static final Instant TIME = Instant.parse("2026-01-05T10:00:00Z");

    @AfterAll
    static void stop() {
        CAMEL.stop();
    }

    @Test
    void theKeyIsTheFirstValueTheEventCarries() {
        Write.FieldUpdate update = upsert("key: [userId, id]\n", Map.of("id", "i-1"));
        assertThat(update.id()).isEqualTo("i-1");
    }

    @Test
    void anEventWithoutAnyKeyIsRejectedAsMissingFieldNamingThemAll() {
        assertThatThrownBy(() -> upsert("key: [userId, id]\n", Map.of()))
                .isInstanceOfSatisfying(EventRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectReason.MISSING_FIELD);
                    assertThat(e.getMessage()).isEqualTo("event e-1 (user.created) has none of userId, id");
                });
    }

    @Test
    void aJoinedKeyAfterTheTenantNeedsEveryPart() {
        assertThat(upsert("key: {join: [userId, roleId], tenantPrefix: true}\n", Map.of("userId", "u", "roleId", "r")).id())
                .isEqualTo("acme:u:r");
        assertThatThrownBy(() -> upsert("key: {join: [userId, roleId]}\n", Map.of("userId", "u")))
                .hasMessage("event e-1 (user.created) has no roleId");
    }

    @Test
    void copiedDataLeavesOutExcludedNamesTheTenantAndTheEventId() {
        Write.FieldUpdate update = upsert("key: userId\ncopy: data\nexclude: [userId]\n",
                Map.of("userId", "u", "email", "a@b", "tenantId", "acme", "eventId", "e-1", "blank", " "));
        assertThat(update.fields()).containsOnlyKeys("email");
    }

    @Test
    void fieldsAreRenamedDefaultedConstantOrTakenFromTheEventTime() {
        Write.FieldUpdate update = upsert("""
                key: userId
                fields:
                  emailAddress: email
                  isActive: {default: true}
                  source: {constant: wrapper}
                  seenAt: [seenAt, event.time]
                  fullName: {simple: "${body.data[first]} ${body.data[last]}"}
                """, Map.of("userId", "u", "email", "a@b", "first", "Ada"));
        assertThat(update.fields()).containsExactlyInAnyOrderEntriesOf(Map.of("emailAddress", "a@b", "isActive", true,
                "source", "wrapper", "seenAt", "2026-01-05T10:00:00Z", "fullName", "Ada"));
    }

    @Test
    void valuesAreConvertedToTheirDeclaredTypesAsPlainValues() {
        Write.FieldUpdate update = upsert("""
                key: userId
                fields:
                  createdAt: {type: date}
                  seats: {type: int}
                  credit: {type: decimal}
                  vip: {type: boolean}
                  since: {from: event.time, type: date}
                """, Map.of("userId", "u", "createdAt", "2024-03-01T08:00:00Z", "seats", "12", "credit", "120.50", "vip", "TRUE"));
        // plain values: each store converts them (MongoDB to a date and a Decimal128: BsonValuesTest)
        assertThat(update.fields()).containsExactlyInAnyOrderEntriesOf(Map.of("createdAt", Instant.parse("2024-03-01T08:00:00Z"),
                "seats", 12, "credit", new BigDecimal("120.50"), "vip", true, "since", TIME));
    }

    @Test
    void aValueThatDoesNotConvertIsRejectedAsInvalidFieldNamingIt() {
        assertThatThrownBy(() -> upsert("key: userId\nfields:\n  seats: {type: int}\n", Map.of("userId", "u", "seats", "1.5")))
                .isInstanceOfSatisfying(EventRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
                    assertThat(e.getMessage()).isEqualTo("field seats of event e-1: '1.5' is not a int");
                });
    }

    @Test
    void aTombstoneSetsItsFieldsAndMarksTheWrite() {
        Write.FieldUpdate update = upsert("key: userId\ntombstone: {deleted: true, isActive: false}\n", Map.of("userId", "u"));
        assertThat(update.tombstone()).isTrue();
        assertThat(update.fields()).containsEntry("deleted", true).containsEntry("isActive", false);
    }

    @Test
    void onInsertFieldsAreSetOnce() {
        assertThat(upsert("key: userId\nfields:\n  createdAt: {from: event.time, onInsert: true}\n", Map.of("userId", "u")).setOnce())
                .containsExactly("createdAt");
    }

    @Test
    void aSkipConditionRecordsTheEventAsSkipped() {
        Write write = apply("""
                key: userId
                skip:
                  - when: {simple: "${body.data[test]} == 'yes'"}
                    reason: test traffic
                """, Map.of("userId", "u", "test", "yes"), null);
        assertThat(write).isEqualTo(new Write.Skip("test traffic"));
    }

    @Test
    void aJoinTrimsAndJoinsTheValuesTheEventCarriesAndLeavesOutTheOthers() {
        String spec = """
                key: userId
                fields:
                  name: {join: [first, last]}
                  place: {join: [city, country], separator: ", "}
                """;
        assertThat(upsert(spec, Map.of("userId", "u", "first", " Ada ", "last", "Lovelace", "city", "London", "country", "UK"))
                .fields()).containsEntry("name", "Ada Lovelace").containsEntry("place", "London, UK");
        assertThat(upsert(spec, Map.of("userId", "u", "last", "Lovelace", "city", " ")).fields())
                .containsEntry("name", "Lovelace").doesNotContainKey("place");
    }

    @Test
    void presentAndAbsentConditionsAskWhetherTheEventCarriesTheValue() {
        String spec = """
                key: userId
                skip:
                  - when: {absent: email}
                    reason: no email
                  - when: {present: [test, sandbox]}
                    reason: test traffic
                """;
        assertThat(apply(spec, Map.of("userId", "u", "email", " "), null)).isEqualTo(new Write.Skip("no email"));
        assertThat(apply(spec, Map.of("userId", "u", "email", "a@b", "sandbox", "yes"), null)).isEqualTo(new Write.Skip("test traffic"));
        assertThat(apply(spec, Map.of("userId", "u", "email", "a@b"), null)).isInstanceOf(Write.FieldUpdate.class);
    }

    @Test
    void aLedgerMovementIsSignedAndTyped() {
        Write write = apply("key: userId\nledger: {amount: amount, sign: negative, type: long}\nfields:\n  op: {default: consumed}\n",
                Map.of("userId", "u", "amount", "-25"), "creditBalances");
        assertThat(write).isEqualTo(new Write.CreditMovement("creditLedger", "creditBalances", "u", new BigDecimal("-25"),
                ValueType.LONG, Map.of("op", "consumed")));
    }

    @Test
    void aLedgerAmountTheTypeCannotHoldIsRejectedBeforeAnyWrite() {
        assertThatThrownBy(() -> apply("key: userId\nledger: {sign: positive, type: long}\n", Map.of("userId", "u", "amount", "2.5"),
                "creditBalances")).hasMessage("amount of event e-1: '2.5' is not a long");
    }

    @Test
    void aLedgerAmountBeyondTheDeclaredMaximumIsRejectedBeforeAnyWrite() {
        // a decimal128 holds 1e400 on its own; a balance holding it could add nothing else
        assertThatThrownBy(() -> apply("key: userId\nledger: {sign: positive}\n", Map.of("userId", "u", "amount", "1e400"),
                "creditBalances")).isInstanceOfSatisfying(EventRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD))
                .hasMessage("amount '1e400' of event e-1 is out of range: mapping m accepts at most 1000000000000000 in "
                        + "absolute value (ledger maxAmount)");
    }

    @Test
    void aLedgerAmountAtTheDeclaredMaximumIsAccepted() {
        Write write = apply("key: userId\nledger: {sign: as-sent, maxAmount: 500}\n", Map.of("userId", "u", "amount", "-500"),
                "creditBalances");
        assertThat(((Write.CreditMovement) write).amount()).isEqualByComparingTo("-500");
        assertThatThrownBy(() -> apply("key: userId\nledger: {sign: as-sent, maxAmount: 500}\n",
                Map.of("userId", "u", "amount", "-500.01"), "creditBalances")).hasMessageContaining("accepts at most 500 ");
    }

    @Test
    void aLedgerAmountWithMoreDecimalPlacesThanDeclaredIsRejectedBeforeAnyWrite() {
        assertThatThrownBy(() -> apply("key: userId\nledger: {sign: positive, maxScale: 2}\n",
                Map.of("userId", "u", "amount", "1.005"), "creditBalances"))
                .isInstanceOf(EventRejectedException.class)
                .hasMessage("amount '1.005' of event e-1 has 3 decimal places: mapping m accepts at most 2 (ledger maxScale)");
        // trailing zeros are not precision
        assertThat(((Write.CreditMovement) apply("key: userId\nledger: {sign: positive, maxScale: 2}\n",
                Map.of("userId", "u", "amount", "1.5000"), "creditBalances")).amount()).isEqualByComparingTo("1.5");
    }

    private static Write.FieldUpdate upsert(String spec, Map<String, Object> data) {
        return (Write.FieldUpdate) apply(spec, data, null);
    }

    private static Write apply(String spec, Map<String, Object> data, String balances) {
        MappingParser.Result parsed = new MappingParser(CAMEL).parse("t.mapping.yaml",
                "mappings:\n  m:\n" + spec.indent(4));
        assertThat(parsed.issues()).isEmpty();
        CanonicalEvent event = new CanonicalEvent("e-1", "user.created", "acme", null, null, TIME, new LinkedHashMap<>(data),
                Map.of(), "s", "1-0", Map.of());
        Exchange exchange = new DefaultExchange(CAMEL);
        EventExchange.attach(exchange, event);
        return parsed.mappings().get(0).apply(event, exchange, new Mapping.Target(balances == null ? "users" : "creditLedger"), null);
    }
}
