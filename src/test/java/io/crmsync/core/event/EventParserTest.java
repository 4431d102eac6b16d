package io.crmsync.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The three message shapes of CONTRACT.md section 2, and the rejections of sections 4 and 6.
 */
class EventParserTest {

    private static final Instant ENTRY_TIME = Instant.ofEpochMilli(1_700_000_000_000L);
    private final EventParser parser = new EventParser(new ObjectMapper(), 1024 * 1024);

    private CanonicalEvent parse(String stream, Map<String, String> fields) {
        return parser.parse(fields, stream, "1700000000000-0", ENTRY_TIME);
    }

    private static Map<String, String> fields(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void flatShapeParsesDataAndMetadataFromJsonStrings() {
        CanonicalEvent event = parse("crm:sync:user:user_created", fields(
                "streamId", "s1", "timestamp", "2024-01-15T10:30:00.000Z", "sourceApp", "wrapper",
                "eventType", "user_created", "entityType", "user", "entityId", "u1", "tenantId", "t1",
                "action", "create", "data", "{\"email\":\"a@b.c\",\"firstName\":\"Ann\"}", "metadata", "{\"correlationId\":\"c1\"}"));

        assertThat(event.type()).isEqualTo("user.created");
        assertThat(event.tenantId()).isEqualTo("t1");
        assertThat(event.entityId()).isEqualTo("u1");
        assertThat(event.time()).isEqualTo(Instant.parse("2024-01-15T10:30:00Z"));
        assertThat(event.data()).containsEntry("email", "a@b.c").containsEntry("firstName", "Ann");
        assertThat(event.metadata()).containsEntry("correlationId", "c1");
        assertThat(event.id()).isEqualTo("crm:sync:user:user_created/1700000000000-0");
    }

    @Test
    void envelopeInOneFieldIsUnwrapped() {
        CanonicalEvent event = parse("crm:organization-assignments", fields("event",
                "{\"eventId\":\"e1\",\"eventType\":\"organization.assignment.created\",\"source\":\"wrapper\",\"version\":\"1\","
                        + "\"timestamp\":\"2024-01-15T10:30:00Z\",\"tenantId\":\"t1\",\"data\":{\"assignmentId\":\"a1\",\"organizationCode\":\"ORG1\"}}"));

        assertThat(event.id()).isEqualTo("e1");
        assertThat(event.type()).isEqualTo("organization.assignment.created");
        assertThat(event.data()).containsEntry("assignmentId", "a1").containsEntry("organizationCode", "ORG1");
    }

    @Test
    void envelopeUnderPayloadOrMessageIsUnwrappedToo() {
        String json = "{\"eventId\":\"e2\",\"eventType\":\"organization.assignment.deleted\",\"tenantId\":\"t1\",\"data\":{\"assignmentId\":\"a1\"}}";
        assertThat(parse("crm:organization-assignments", fields("payload", json)).id()).isEqualTo("e2");
        assertThat(parse("crm:organization-assignments", fields("message", json)).id()).isEqualTo("e2");
    }

    @Test
    void envelopeAsFlatFieldsReadsDataAsJsonString() {
        CanonicalEvent event = parse("crm:organization-assignments", fields("eventId", "e3",
                "eventType", "organization.assignment.activated", "tenantId", "t1", "data", "{\"assignmentId\":\"a1\"}"));

        assertThat(event.id()).isEqualTo("e3");
        assertThat(event.data()).containsEntry("assignmentId", "a1");
    }

    @Test
    void bareShapeTakesThePayloadFromTheFieldsThemselves() {
        CanonicalEvent event = parse("credit-events", fields("eventType", "credit.allocated", "tenantId", "t1",
                "userId", "u1", "amount", "150"));

        assertThat(event.type()).isEqualTo("credit.allocated");
        assertThat(event.data()).containsEntry("userId", "u1").containsEntry("amount", "150").doesNotContainKey("tenantId");
        assertThat(event.time()).isEqualTo(ENTRY_TIME);
    }

    @Test
    void interAppEventDataIsParsedAsThePayload() {
        CanonicalEvent event = parse("inter-app-events", fields("eventType", "notification.sent", "tenantId", "t1",
                "sourceApplication", "billing", "targetApplication", "crm", "eventData", "{\"subject\":\"hi\"}"));

        assertThat(event.data()).containsEntry("subject", "hi");
        assertThat(event.fields()).containsEntry("targetApplication", "crm");
    }

    @Test
    void missingEventTypeIsTakenFromTheStreamKey() {
        CanonicalEvent event = parse("crm:sync:role:role_created", fields("tenantId", "t1", "data", "{\"roleId\":\"r1\"}"));

        assertThat(event.type()).isEqualTo("role.created");
    }

    @Test
    void missingEventTypeOnAStreamThatNamesNoneIsAMissingField() {
        assertRejected(() -> parse("credit-events", fields("tenantId", "t1", "amount", "1")), RejectReason.MISSING_FIELD);
    }

    @Test
    void missingTenantIsAMissingField() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "data", "{}")),
                RejectReason.MISSING_FIELD);
    }

    @Test
    void dataThatIsNotJsonIsInvalidJson() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", "{not json")), RejectReason.INVALID_JSON);
    }

    @Test
    void dataThatIsAJsonArrayIsInvalidJson() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", "[1,2]")), RejectReason.INVALID_JSON);
    }

    @Test
    void operatorKeyInDataIsUnsafe() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", "{\"$set\":{\"isActive\":true}}")), RejectReason.UNSAFE_KEY);
    }

    @Test
    void dottedKeyNestedInDataIsUnsafe() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", "{\"profile\":{\"a.b\":1}}")), RejectReason.UNSAFE_KEY);
    }

    @Test
    void anUnsafeKeysMessageNamesTheKeyAndItsPath() {
        assertThatThrownBy(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", "{\"profile\":{\"tags\":[{\"ok\":1},{\"$where\":1}]}}")))
                .isInstanceOf(EventRejectedException.class)
                .hasMessage("key '$where' at data.profile.tags[1] would be read by MongoDB as an operator or a path");
    }

    @Test
    void anUnsafeKeyAtAWrappedEventsTopLevelIsNamedWithItsPath() {
        assertThatThrownBy(() -> parse("crm:organization-assignments", fields("event",
                "{\"eventType\":\"organization.assignment.created\",\"tenantId\":\"t1\",\"$where\":1}")))
                .isInstanceOf(EventRejectedException.class)
                .hasMessage("key '$where' at event would be read by MongoDB as an operator or a path");
    }

    @Test
    void payloadSizeCountsUtf8BytesAsEncodingWould() {
        for (String text : new String[] {"", "plain", "caf\u00e9", "\u20ac 5", "\ud83d\ude00 emoji", "lone \ud83d high",
                "lone \ude00 low", "end \ud83d", "\ud83d\ud83d\ude00", "\ude00\ud83d", "\u007f\u0080\u07ff\u0800\uffff"}) {
            assertThat(PayloadGuard.utf8Length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void nulByteInAKeyIsUnsafe() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", "{\"a\\u0000b\":1}")), RejectReason.UNSAFE_KEY);
    }

    @Test
    void payloadOverTheLimitIsTooLarge() {
        EventParser small = new EventParser(new ObjectMapper(), 100);
        assertRejected(() -> small.parse(fields("eventType", "user_created", "tenantId", "t1", "data", "{\"x\":\"" + "y".repeat(200) + "\"}"),
                "crm:sync:user:user_created", "1-0", ENTRY_TIME), RejectReason.TOO_LARGE);
    }

    /** {"a":{"a":...{"a":1}}} with {@code levels} objects, the outermost included. */
    static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{\"a\":1}" + "}".repeat(levels - 1);
    }

    /** [[...[1]]] with {@code levels} arrays. */
    static String nestedArrays(int levels) {
        return "[".repeat(levels) + "1" + "]".repeat(levels);
    }

    @Test
    void dataNestedTwoHundredFiftyLevelsIsTooDeep() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", nested(250))), RejectReason.TOO_DEEP);
    }

    @Test
    void dataNestedPastJacksonsOwnLimitIsTooDeepAsWell() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", nested(1500))), RejectReason.TOO_DEEP);
    }

    /** 99 levels, plus the one of the document that stores data as a field: MongoDB's documented 100. */
    @Test
    void dataNestedAtTheLimitIsAccepted() {
        CanonicalEvent event = parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", nested(PayloadGuard.MAX_DEPTH)));

        assertThat(event.data()).containsKey("a");
    }

    @Test
    void dataOneLevelPastTheLimitIsTooDeep() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", nested(PayloadGuard.MAX_DEPTH + 1))), RejectReason.TOO_DEEP);
    }

    @Test
    void arraysCountAsLevelsToo() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", "{\"list\":" + nestedArrays(PayloadGuard.MAX_DEPTH) + "}")), RejectReason.TOO_DEEP);
    }

    @Test
    void metadataNestedTooDeepIsTooDeep() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", "{}", "metadata", nested(250))), RejectReason.TOO_DEEP);
    }

    @Test
    void anEnvelopeWhoseDataIsAtTheLimitIsAcceptedAndOneDeeperIsNot() {
        String envelope = "{\"eventId\":\"e1\",\"eventType\":\"organization.assignment.created\",\"tenantId\":\"t1\","
                + "\"data\":%s}";
        assertThat(parse("crm:organization-assignments", fields("event", envelope.formatted(nested(PayloadGuard.MAX_DEPTH))))
                .data()).containsKey("a");
        assertRejected(() -> parse("crm:organization-assignments", fields("event",
                envelope.formatted(nested(PayloadGuard.MAX_DEPTH + 1)))), RejectReason.TOO_DEEP);
    }

    @Test
    void dataNamingAnotherTenantThanTheEnvelopeIsATenantMismatch() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", "{\"tenantId\":\"t2\"}")), RejectReason.TENANT_MISMATCH);
    }

    @Test
    void timestampThatIsNotIsoIsAnInvalidField() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "timestamp", "yesterday")), RejectReason.INVALID_FIELD);
    }

    @Test
    void eventIdInDataIsTheEventIdentity() {
        assertThat(parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "data", "{\"eventId\":\"e9\"}")).id()).isEqualTo("e9");
    }

    @Test
    void timestampBefore1970IsAnInvalidField() {
        assertRejected(() -> parse("crm:sync:user:user_created", fields("eventType", "user_created", "tenantId", "t1",
                "timestamp", "1969-12-31T23:59:59Z")), RejectReason.INVALID_FIELD);
    }

    @Test
    void aReplayedEnvelopeKeepsTheEventIdItWasGivenBesideIt() {
        CanonicalEvent event = parse("crm:organization-assignments", fields("event",
                "{\"eventType\":\"organization.assignment.deleted\",\"tenantId\":\"t1\",\"data\":{\"assignmentId\":\"a1\"}}",
                "eventId", "crm:organization-assignments/1700000000000-7"));

        assertThat(event.id()).isEqualTo("crm:organization-assignments/1700000000000-7");
    }

    @Test
    void epochSecondsAreReadAsSecondsNotMilliseconds() {
        assertThat(EventParser.parseTime("1717200000")).isEqualTo(Instant.parse("2024-06-01T00:00:00Z"));
        assertThat(EventParser.parseTime("1717200000.25")).isEqualTo(Instant.parse("2024-06-01T00:00:00.250Z"));
    }

    @Test
    void epochMillisecondsStayMilliseconds() {
        assertThat(EventParser.parseTime("1717200000123")).isEqualTo(Instant.parse("2024-06-01T00:00:00.123Z"));
    }

    @Test
    void utcTimestampsReadWithoutAFormatterAgreeWithTheFormatter() {
        for (String text : new String[] {"2024-06-01T00:00:00Z", "2024-02-29T23:59:59.5Z", "2024-06-01T10:11:12.123456789Z",
                "1970-01-01T00:00:00.000Z", "2199-12-31T23:59:59.999Z"}) {
            assertThat(EventParser.utc(text)).as(text).isEqualTo(java.time.OffsetDateTime.parse(text).toInstant());
            assertThat(EventParser.parseTime(text)).as(text).isEqualTo(java.time.OffsetDateTime.parse(text).toInstant());
        }
        // other shapes are left to the formatters
        assertThat(EventParser.utc("2024-06-01T00:00Z")).isNull();
        assertThat(EventParser.utc("2024-06-01T00:00:00+02:00")).isNull();
        assertThat(EventParser.utc("2024-06-01T00:00:00.1234567890Z")).isNull();
        assertThat(EventParser.parseTime("2024-06-01T00:00Z")).isEqualTo(Instant.parse("2024-06-01T00:00:00Z"));
    }

    @Test
    void anImpossibleUtcDateIsAnInvalidField() {
        assertRejected(() -> EventParser.parseTime("2024-13-01T00:00:00Z"), RejectReason.INVALID_FIELD);
        assertRejected(() -> EventParser.parseTime("2023-02-29T00:00:00Z"), RejectReason.INVALID_FIELD);
    }

    @Test
    void fractionalMillisecondsAreAnInvalidField() {
        assertRejected(() -> EventParser.parseTime("1717200000123.5"), RejectReason.INVALID_FIELD);
    }

    @Test
    void aReplayedEnvelopeKeepsTheTimeItWasGivenBesideIt() {
        CanonicalEvent event = parse("crm:organization-assignments", fields("event",
                "{\"eventType\":\"organization.assignment.created\",\"tenantId\":\"t1\",\"data\":{\"assignmentId\":\"a1\"}}",
                "timestamp", "2024-01-15T10:00:00Z"));

        assertThat(event.time()).isEqualTo(Instant.parse("2024-01-15T10:00:00Z"));
    }

    private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, RejectReason reason) {
        assertThatThrownBy(call).isInstanceOf(EventRejectedException.class)
                .extracting(e -> ((EventRejectedException) e).reason()).isEqualTo(reason);
    }
}
