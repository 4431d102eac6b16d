package io.crmsync.sources.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventRejectedException;
import org.junit.jupiter.api.Test;

/**
 * What a change's dead letter makes again when it is replayed, and what the ops tools refuse before sending it.
 */
class ChangeEventsTest {

    private static final String TOPIC = "crm.public.purchase_ledger";
    private static final String SOURCE = "\"source\":{\"schema\":\"public\",\"table\":\"purchase_ledger\",\"lsn\":4242,"
            + "\"txId\":7,\"ts_ms\":1764496800000}";

    private final ChangeEvents changes = new ChangeEvents(new ObjectMapper(), "tenant_id", "crm_cdc_slot");

    private static Map<String, String> deadLetter(String payload) {
        return Map.of("payload", payload, "key", "{\"id\":\"p-1\"}");
    }

    @Test
    void aTopicsChangeIsMadeAgainWithItsIdentityTimeAndPosition() {
        CanonicalEvent event = changes.replayed(deadLetter("{\"op\":\"c\",\"after\":{\"id\":\"p-1\",\"tenant_id\":\"t1\"},"
                + SOURCE + "}"), TOPIC, "1:77");

        assertThat(event.id()).isEqualTo("public.purchase_ledger/4242/p-1");
        assertThat(event.time()).isEqualTo(Instant.ofEpochMilli(1764496800000L));
        assertThat(event.source()).isEqualTo(TOPIC);
        assertThat(event.position()).isEqualTo("1:77");
        assertThat(event.tenantId()).isEqualTo("t1");
    }

    @Test
    void theSlotsChangeIsMadeAgainAtThePositionItsEnvelopeGives() {
        CanonicalEvent event = changes.replayed(deadLetter("{\"op\":\"u\",\"after\":{\"id\":\"p-1\",\"tenant_id\":\"t1\"},"
                + SOURCE + "}"), "debezium:crm_cdc_slot", "whatever the dead letter said");

        assertThat(event.position()).isEqualTo("4242/purchase_ledger/p-1");
    }

    @Test
    void aPayloadThatIsNotJsonIsInvalidJson() {
        assertThatThrownBy(() -> changes.replayed(deadLetter("not json"), TOPIC, "0:1"))
                .isInstanceOf(EventRejectedException.class).hasMessageContaining("not a JSON object")
                .extracting(e -> ((EventRejectedException) e).reason().code()).isEqualTo("invalid-json");
    }

    @Test
    void jsonThatIsNotAChangeEventIsAnInvalidField() {
        assertThatThrownBy(() -> changes.replayed(deadLetter("{\"eventType\":\"user.created\"}"), TOPIC, "0:1"))
                .isInstanceOf(EventRejectedException.class).hasMessageContaining("not a Debezium change event")
                .extracting(e -> ((EventRejectedException) e).reason().code()).isEqualTo("invalid-field");
    }

    @Test
    void aRowWithoutItsTenantIsAMissingFieldNamingTheColumnAndWhere() {
        assertThatThrownBy(() -> changes.replayed(deadLetter("{\"op\":\"c\",\"after\":{\"id\":\"p-1\"}," + SOURCE + "}"),
                "debezium:crm_cdc_slot", null))
                .isInstanceOf(EventRejectedException.class).hasMessage("change event of purchase_ledger at LSN 4242 has no tenant_id")
                .extracting(e -> ((EventRejectedException) e).reason().code()).isEqualTo("missing-field");
    }

    @Test
    void aDeleteWithoutItsTenantIsAnEventWhoseTenantTheStoreMustFind() {
        CanonicalEvent event = changes.replayed(deadLetter("{\"op\":\"d\",\"before\":{\"id\":\"p-1\",\"tenant_id\":null},"
                + "\"after\":null," + SOURCE + "}"), TOPIC, "0:9");

        assertThat(event.tenantId()).isNull();
        assertThat(event.type()).isEqualTo("purchase_ledger.deleted");
        assertThat(event.data()).containsOnlyKeys("id");
    }
}
