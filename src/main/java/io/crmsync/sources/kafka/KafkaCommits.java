package io.crmsync.sources.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * The last step of a Kafka batch: once every record of the batch has been written (or dead-lettered) durably,
 * commits, per partition, the offset after its last record. A batch that failed never gets here, and the consumer
 * reads it again from the last committed offset ({@code breakOnFirstError}); the writes make that harmless.
 */
public class KafkaCommits implements Processor {

    @Override
    public void process(Exchange exchange) {
        List<?> records = exchange.getMessage().getBody(List.class);
        Map<String, Exchange> lastOfPartition = new LinkedHashMap<>();
        for (Object item : records) {
            Exchange record = (Exchange) item;
            String partition = record.getMessage().getHeader(KafkaConstants.TOPIC) + "-"
                    + record.getMessage().getHeader(KafkaConstants.PARTITION);
            Exchange last = lastOfPartition.get(partition);
            if (last == null || offset(record) > offset(last)) {
                lastOfPartition.put(partition, record);
            }
        }
        for (Exchange last : lastOfPartition.values()) {
            KafkaManualCommit commit = last.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit == null) {
                throw new IllegalStateException("the Kafka route must set allowManualCommit=true: no "
                        + KafkaConstants.MANUAL_COMMIT + " header on its records");
            }
            commit.commit();
        }
    }

    private static long offset(Exchange record) {
        return record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
    }
}
