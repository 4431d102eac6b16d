package io.crmsync.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventTypesTest {

    /** The aliases are declared in the shipped mapping files (aliases:), as the app puts them in effect. */
    @BeforeAll
    static void shippedAliases() throws Exception {
        ShippedAliases.inEffect();
    }

    @Test
    void theContractsUnderscoreInsideASegmentIsKept() {
        assertThat(EventTypes.normalize("agent_lead_sources_updated")).isEqualTo("agent.lead_sources.updated");
    }

    @Test
    void underscoreDotAndUpperCaseSpellingsAreOneType() {
        assertThat(EventTypes.normalize("user_created")).isEqualTo("user.created");
        assertThat(EventTypes.normalize("user.created")).isEqualTo("user.created");
        assertThat(EventTypes.normalize("USER_CREATED")).isEqualTo("user.created");
    }

    @Test
    void aSpellingFoldsTheSameWhenItIsSeenAgain() {
        // the second call of each is answered from the cache of spellings already folded
        for (int i = 0; i < 2; i++) {
            assertThat(EventTypes.normalize("  Role-Updated ")).isEqualTo("role.updated");
            assertThat(EventTypes.normalize("org.deleted")).isEqualTo("organization.deleted");
            assertThat(EventTypes.normalize("x".repeat(100) + "_CREATED")).isEqualTo("x".repeat(100) + ".created");
        }
    }

    @Test
    void orgCreatedIsOrganizationCreated() {
        assertThat(EventTypes.normalize("org_created")).isEqualTo("organization.created");
    }

    @Test
    void streamKeyLastSegmentNamesTheType() {
        assertThat(EventTypes.fromStreamKey("crm:sync:role:role_created")).isEqualTo("role.created");
        assertThat(EventTypes.fromStreamKey("credit-events")).isNull();
        assertThat(EventTypes.fromStreamKey("crm:organization-assignments")).isNull();
    }
}
