package io.crmsync.stores.mongodb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.crmsync.core.mapping.Mapping;
import io.crmsync.core.mapping.Mappings;
import io.crmsync.core.store.StoreEndpoint;
import org.apache.camel.Endpoint;

/**
 * The indexes the routes' {@code crm-mongodb:} endpoints will need for the mappings in effect: each written
 * collection's guard index (on the stand-in only), each ledger's indexes, and each lookup's. Made before the first
 * event is read, so that one MongoDB refuses (85, 86, 13), or that {@code crm.mongo.create-indexes=false} leaves to
 * the DBA, is logged at start-up; each through the once-per-key set-up its first use goes through ({@link IndexSetup},
 * {@link Lookups}), which then finds it done.
 * <p>
 * An endpoint that names its mapping needs that mapping's. One that takes the mapping declaring the event's type may
 * get any mapping declaring types, but for two that only its route could tell: a mapping another store's endpoint
 * names is that store's (a PostgreSQL mapping looks up tables, not collections), and a ledger mapping is taken to write
 * only the default ledger, {@code creditLedger}. What this leaves out, and what a reload adds later, is made at its
 * first use, as before.
 */
public final class MappedIndexes {

    private static final String DEFAULT_LEDGER = "creditLedger";

    private MappedIndexes() {
    }

    /** Makes the indexes of the {@code crm-mongodb:} endpoints among {@code endpoints}; throws while MongoDB is away. */
    public static void ensure(Collection<Endpoint> endpoints) {
        Set<String> otherStores = new HashSet<>();
        List<CrmMongoEndpoint> mongo = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            if (endpoint instanceof CrmMongoEndpoint crm) {
                mongo.add(crm);
            } else if (endpoint instanceof StoreEndpoint<?> store && store.getMapping() != null) {
                otherStores.add(store.getMapping());
            }
        }
        for (CrmMongoEndpoint endpoint : mongo) {
            CrmMongoComponent component = endpoint.getComponent();
            if (component.getWrites() == null || component.getLookups() == null) {
                continue; // a component made only to validate routes writes nothing
            }
            IndexSetup setup = component.getWrites().writer().ensureIndexes();
            for (Mapping mapping : reaching(endpoint, otherStores)) {
                if (mapping.ledger() != null) {
                    setup.ledger(endpoint.getCollection(), mapping.ledger().balances());
                } else {
                    setup.fieldwise(endpoint.getCollection());
                }
                for (Mapping.Lookup lookup : mapping.lookups()) {
                    component.getLookups().ensureIndex(lookup.collection(), lookup.match().keySet());
                    if (lookup.mismatch() != null) {
                        component.getLookups().ensureIndex(lookup.collection(), lookup.mismatch().match().keySet());
                    }
                }
            }
        }
    }

    /** The mappings that may write through this endpoint, as far as the endpoint alone tells. */
    private static List<Mapping> reaching(CrmMongoEndpoint endpoint, Set<String> otherStores) {
        Mappings mappings = endpoint.mappings();
        String named = endpoint.getMapping();
        if (named != null && !named.isBlank()) {
            Mapping mapping = mappings.get(named);
            return mapping == null ? List.of() : List.of(mapping);
        }
        boolean ledger = DEFAULT_LEDGER.equals(endpoint.getCollection());
        return new LinkedHashSet<>(mappings.types().values()).stream().filter(id -> !otherStores.contains(id))
                .map(mappings::get).filter(Objects::nonNull).filter(mapping -> (mapping.ledger() != null) == ledger)
                .filter(mapping -> accepts(endpoint, mapping)).toList();
    }

    private static boolean accepts(CrmMongoEndpoint endpoint, Mapping mapping) {
        try {
            endpoint.check(mapping);
            return true;
        } catch (IllegalArgumentException refused) {
            return false; // refused when an event first brings it, as ever
        }
    }
}
