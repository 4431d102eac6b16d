package io.crmsync.config;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.crmsync.core.deadletter.DeadLetters;
import io.crmsync.core.deadletter.FailureClassifier;
import io.crmsync.core.deadletter.FailureKinds;
import io.crmsync.core.deadletter.InfrastructureFailure;
import io.crmsync.core.deadletter.WaitOut;
import io.crmsync.core.event.EventParser;
import io.crmsync.core.mapping.Mappings;
import io.crmsync.core.outcome.Acknowledgments;
import io.crmsync.core.outcome.EventOutcomes;
import io.crmsync.core.outcome.RecordOutcome;
import io.crmsync.sources.redis.RedisStreamEntries;
import io.crmsync.sources.redis.TenantStreams;
import io.crmsync.stores.mongodb.Collections;
import io.crmsync.stores.mongodb.CrmMongoComponent;
import io.crmsync.stores.mongodb.EventWriter;
import io.crmsync.stores.mongodb.Lookups;
import io.crmsync.stores.mongodb.ProcessingRecords;
import io.crmsync.stores.mongodb.WriteStep;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The beans the YAML routes call by name (parse, record, dead-letter) and the store endpoints' component.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CrmSyncProperties.class)
class PipelineConfiguration {

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
    RedisStreamEntries streamEntries(EventParser parser) {
        return new RedisStreamEntries(parser);
    }

    @Bean
    EventParser eventParser(ObjectMapper json, CrmSyncProperties properties, StreamsProperties streams) {
        return new EventParser(json, properties.maxPayloadBytes(), streams.typeOverrides());
    }

    @Bean
    Lookups lookups(Collections collections, CrmSyncProperties properties) {
        return new Lookups(collections, properties.enrichment().cacheTtl(), Clock.systemUTC());
    }

    /** The store endpoints, named as their URI scheme so every route's {@code crm-mongodb:} endpoint is one of these. */
    @Bean(CrmMongoComponent.SCHEME)
    CrmMongoComponent crmMongoComponent(Mappings mappings, Lookups lookups, WriteStep writes) {
        return new CrmMongoComponent(mappings, lookups, writes);
    }

    /**
     * Where batched writes hand each exchange back to Camel: the rest of its route (and a dead-letter write, if it
     * failed) runs here, never on a thread that writes batches.
     */
    @Bean(destroyMethod = "shutdown")
    ExecutorService writeCompletions() {
        return Executors.newFixedThreadPool(4, daemons("crm-sync-completion-"));
    }

    /**
     * Where a batch writes its collections at once (see {@link EventWriter}): a thread for each collection or ledger a
     * batch touches but the first, at most the lanes times what the mappings name; idle ones end after a minute.
     */
    @Bean(destroyMethod = "shutdown")
    ExecutorService writeParts() {
        return Executors.newCachedThreadPool(daemons("crm-sync-write-part-"));
    }

    /** Daemon threads named {@code prefix} and a count from 1. */
    private static ThreadFactory daemons(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }

    @Bean(destroyMethod = "close")
    WriteStep writes(Collections collections, CrmSyncProperties properties, ExecutorService writeCompletions,
            ExecutorService writeParts) {
        return new WriteStep(new EventWriter(collections, writeParts), properties.writes().maxBatch(),
                properties.writes().lanes(), writeCompletions);
    }

    @Bean
    ProcessingRecords processingRecords(Collections collections, CrmSyncProperties properties) {
        return new ProcessingRecords(collections, properties.records().enabled());
    }

    @Bean
    Acknowledgments acknowledgments(ProducerTemplate producer, ObjectMapper json, CrmSyncProperties properties,
            ConsumerName consumerName) {
        return new Acknowledgments(producer, json, properties.acknowledgments().stream(), consumerName.value(),
                properties.acknowledgments().enabled());
    }

    /**
     * Processing records stay in MongoDB, the app's bookkeeping store, whichever store an event writes: the ops tools
     * (sync log, verify, route tests) read them there. The core only knows {@link io.crmsync.core.outcome.OutcomeRecords}.
     */
    @Bean(destroyMethod = "close")
    EventOutcomes outcomes(ProcessingRecords records, Acknowledgments acknowledgments, MeterRegistry meters,
            CrmSyncProperties properties, ExecutorService writeCompletions) {
        return new EventOutcomes(records, acknowledgments, meters, properties.writes().maxBatch(), writeCompletions,
                properties.metrics().eventTypePrefixes());
    }

    @Bean
    RecordOutcome recordOutcome(EventOutcomes outcomes) {
        return new RecordOutcome(outcomes);
    }

    /** The ledger-reconcile route's step (routes/common.camel.yaml). */
    @Bean
    LedgerReconcile ledgerReconcile(WriteStep writes, CrmSyncProperties properties, MeterRegistry meters) {
        return new LedgerReconcile(writes.writer(), properties.writes().reconcileAfter(), meters);
    }

    /** How failures are sorted, each store and source saying what its own exceptions mean. */
    @Bean
    FailureKinds failureKinds(List<FailureClassifier> classifiers) {
        return new FailureKinds(classifiers);
    }

    /** The onWhen of stream-errors' wait for an outage (routes/common.camel.yaml). */
    @Bean
    WaitOut waitOutOutage(FailureKinds kinds) {
        return WaitOut.outage(new InfrastructureFailure(kinds));
    }

    /** The retryWhile of the dead-letter route (routes/common.camel.yaml). */
    @Bean
    WaitOut waitOutDeadLetter() {
        return WaitOut.marked();
    }

    @Bean
    DeadLetters deadLetters(EventOutcomes outcomes, FailureKinds kinds) {
        return new DeadLetters(outcomes, kinds);
    }
}
