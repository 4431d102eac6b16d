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
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * What the commands that only read (status, records, dlq list and inspect) need, and nothing more: settings, a Redis
 * connection, a MongoDB client, the routes' definitions. No Camel context, route, consumer, slot monitor or index
 * set-up is started, so such a command answers in a few seconds where starting the app takes ten or more.
 * <p>
 * Not a {@code @Configuration}: the app's component scan leaves it out, and a command's context has it as its only
 * source. That context makes a bean when it is first asked for, so {@code dlq list} never connects to MongoDB.
 */
@EnableConfigurationProperties({CrmSyncProperties.class, StreamsProperties.class, RoutesProperties.class,
        CdcProperties.class})
public class CommandTools {

    @Bean(destroyMethod = "close")
    OpsRedis opsRedis(CrmSyncProperties properties) {
        return new OpsRedis(properties.redisUrl());
    }

    @Bean(destroyMethod = "close")
    MongoClient mongoClient(CrmSyncProperties properties) {
        return MongoClients.create(properties.mongodbUri());
    }

    @Bean
    Collections collections(MongoClient client, CrmSyncProperties properties) {
        return new Collections(client.getDatabase(properties.databaseName()), properties.collections(),
                properties.mongo().options());
    }

    @Bean
    SyncLog syncLog(Collections collections) {
        return new SyncLog(collections);
    }

    /** Lists and inspects; it has no way to the CDC routes, so a replay runs in the app's context instead. */
    @Bean
    DeadLetterTool deadLetterTool(OpsRedis redis, CrmSyncProperties properties) {
        return new DeadLetterTool(redis, properties.deadLetter().stream(), null);
    }

    /** The streams the routes files declare, and each active tenant's credit-events stream, as the service reads them. */
    @Bean
    StreamsStatus streamsStatus(OpsRedis redis, RoutesProperties routes, Environment environment, StreamsProperties streams,
            CrmSyncProperties properties, org.springframework.beans.factory.ObjectProvider<Collections> collections) {
        return new StreamsStatus(redis, new StreamCatalog(() -> {
            Set<StreamCatalog.StreamGroup> pairs = new LinkedHashSet<>();
            try {
                DeclaredStreams.in(routes.dir(), environment, streams.group())
                        .forEach(p -> pairs.add(new StreamCatalog.StreamGroup(p.stream(), p.group())));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the routes in " + routes.dir().toAbsolutePath(), e);
            }
            TenantStreams.activeStreams(collections.getObject().get("tenants"))
                    .forEach(stream -> pairs.add(new StreamCatalog.StreamGroup(stream, properties.tenants().group())));
            return pairs;
        }));
    }
}
