package io.crmsync.stores.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.Test;

class CollectionsTest {

    /** The guards must not depend on the URI: secondaryPreferred or w=1 there would break them on a replica set. */
    @Test
    void collectionsReadFromThePrimaryAndWriteWithMajorityWhateverTheUriSays() {
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:1/crm?readPreference=secondaryPreferred&w=1")) {
            Collections collections = new Collections(client.getDatabase("crm"), Map.of("roles", "crmroles"));

            assertThat(collections.get("roles").getReadPreference()).isEqualTo(ReadPreference.primary());
            assertThat(collections.get("roles").getWriteConcern())
                    .isEqualTo(WriteConcern.MAJORITY.withWTimeout(10, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(collections.get("roles").getNamespace().getCollectionName()).isEqualTo("crmroles");
        }
    }

    /** Without wtimeout, a replica set that lost its majority holds every write, and its entry, forever. */
    @Test
    void majorityWritesWaitAtMostTheConfiguredTime() {
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:1/crm")) {
            Collections collections = new Collections(client.getDatabase("crm"), Map.of(),
                    new Collections.Options(true, java.time.Duration.ofSeconds(3)));

            assertThat(collections.get("users").getWriteConcern().getWTimeout(java.util.concurrent.TimeUnit.MILLISECONDS))
                    .isEqualTo(3000);
            assertThat(collections.get("users").getWriteConcern().getWString()).isEqualTo("majority");
        }
    }
}
