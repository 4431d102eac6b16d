package io.crmsync.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.crmsync.config.CrmSyncProperties;
import io.crmsync.config.StreamsProperties;
import io.crmsync.routes.DeclaredStreams;
import io.crmsync.routes.RoutesProperties;
import io.crmsync.sources.debezium.CdcProperties;
import io.crmsync.sources.redis.TenantStreams;
import io.crmsync.stores.mongodb.Collections;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * What the commands that only read (status, records, dlq list and inspect) need, made by hand from the app's settings:
 * a Redis connection, a MongoDB client, the routes' definitions. No application context, Camel context, route,
 * consumer, slot monitor or index set-up is started, so such a command answers in a few seconds where starting the
 * app takes ten or more. Each connection is opened when first needed: {@code dlq list} never connects to MongoDB.
 */
public final class CommandTools implements AutoCloseable {

    private final ConfigurableEnvironment environment;
    private final Binder settings;
    private final CrmSyncProperties crm;
    private OpsRedis redis;
    private MongoClient mongo;
    private Collections collections;

    /** @param environment the app's settings: system properties, environment variables, application.yaml */
    public CommandTools(ConfigurableEnvironment environment) {
        this.environment = environment;
        this.settings = Binder.get(environment);
        this.crm = settings.bind("crm", CrmSyncProperties.class).get();
    }

    public DeadLetterTool deadLetters() {
        // it has no way to the CDC routes: it lists and inspects, and a replay runs in the app's context instead
        return DeadLetterTool.reading(redis(), crm.deadLetter().stream());
    }

    public SyncLog syncLog() {
        return new SyncLog(collections());
    }

    /** The streams the routes files declare, and each active tenant's credit-events stream, as the service reads them. */
    public StreamsStatus streamsStatus() {
        RoutesProperties routes = settings.bindOrCreate("crm.routes", RoutesProperties.class);
        String group = settings.bind("crm.streams", StreamsProperties.class).get().group();
        return new StreamsStatus(redis(), new StreamCatalog(() -> {
            Set<StreamCatalog.StreamGroup> pairs = new LinkedHashSet<>();
            try {
                DeclaredStreams.in(routes.dir(), environment, group)
                        .forEach(p -> pairs.add(new StreamCatalog.StreamGroup(p.stream(), p.group())));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the routes in " + routes.dir().toAbsolutePath(), e);
            }
            TenantStreams.activeStreams(collections().get("tenants"))
                    .forEach(stream -> pairs.add(new StreamCatalog.StreamGroup(stream, crm.tenants().group())));
            return pairs;
        }));
    }

    public CdcProperties cdc() {
        return settings.bind("crm.cdc", CdcProperties.class).get();
    }

    private synchronized OpsRedis redis() {
        if (redis == null) {
            redis = new OpsRedis(crm.redisUrl());
        }
        return redis;
    }

    private synchronized Collections collections() {
        if (collections == null) {
            mongo = MongoClients.create(crm.mongodbUri());
            collections = new Collections(mongo.getDatabase(crm.databaseName()), crm.collections(), crm.mongo().options());
        }
        return collections;
    }

    @Override
    public synchronized void close() {
        if (redis != null) {
            redis.close();
        }
        if (mongo != null) {
            mongo.close();
        }
    }
}
