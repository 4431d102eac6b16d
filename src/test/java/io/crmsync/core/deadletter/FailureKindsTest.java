package io.crmsync.core.deadletter;

import static io.crmsync.embedded.RefusingMongo.commandFailed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.WriteConcernError;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.embedded.RefusingMongo;
import io.crmsync.stores.mongodb.MongoTransientFailures;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/**
 * How MongoDB's answers are sorted: what leaves an entry pending (infrastructure, retried) and what dead-letters it,
 * with which reason. Each answer is the exception the driver builds from a real server's reply.
 */
class FailureKindsTest {

    // MongoDB's own classification, as the app wires it
    private static final FailureKinds KINDS = new FailureKinds(List.of(new MongoTransientFailures()));
    private static final BulkWriteResult APPLIED = BulkWriteResult.acknowledged(0, 3, 0, 3, List.of(), List.of());

    /** The primary applied the writes: dead-lettering them would report as failed what is in MongoDB. */
    @Test
    void aBulkWriteWhoseWriteConcernFailedIsInfrastructure() {
        MongoBulkWriteException failure = RefusingMongo.writeConcernFailed(APPLIED);

        assertThat(KINDS.isInfrastructure(failure)).isTrue();
        assertThat(new InfrastructureFailure(KINDS).matches(failed(failure))).isTrue();
    }

    @Test
    void aSingleWriteWhoseWriteConcernFailedIsInfrastructure() {
        MongoWriteConcernException failure = new MongoWriteConcernException(new WriteConcernError(100,
                "UnsatisfiableWriteConcern", "Not enough data-bearing nodes", new BsonDocument()), new ServerAddress());

        assertThat(KINDS.isInfrastructure(failure)).isTrue();
    }

    /** Both a write error and a writeConcernError: the write concern decides, the write errors are retried too. */
    @Test
    void aWriteConcernErrorBesideWriteErrorsIsStillInfrastructure() {
        MongoBulkWriteException failure = new MongoBulkWriteException(APPLIED, List.of(new com.mongodb.bulk.BulkWriteError(
                11000, "E11000 duplicate key error", new BsonDocument(), 0)), new WriteConcernError(64, "WriteConcernFailed",
                "waiting for replication timed out", new BsonDocument()), new ServerAddress(), Set.of());

        assertThat(KINDS.isInfrastructure(failure)).isTrue();
    }

    @Test
    void aPrimaryThatSteppedDownIsInfrastructure() {
        assertThat(KINDS.isInfrastructure(commandFailed(189, "PrimarySteppedDown", "primary stepped down"))).isTrue();
        assertThat(KINDS.isInfrastructure(commandFailed(11602, "InterruptedDueToReplStateChange", "operation was "
                + "interrupted"))).isTrue();
    }

    /** Every write would fail alike until the user is granted the role: waiting beats dead-lettering every event. */
    @Test
    void aMissingWritePrivilegeIsInfrastructure() {
        assertThat(KINDS.isInfrastructure(commandFailed(13, "Unauthorized", "not authorized on crm to execute "
                + "command { update: \"users\" }"))).isTrue();
    }

    /** The writer isolates a refused batch down to its culprit, whose failure names the reason and the server's code. */
    @Test
    void aRefusedDocumentIsDeadLetteredAsWriteRejected() {
        EventRejectedException rejected = new EventRejectedException(new RejectReason("write-rejected"),
                "MongoDB refused the write: MongoCommandException (code 15): BSONObj exceeds maximum nested object depth",
                commandFailed(15, "Overflow", "BSONObj exceeds maximum nested object depth: 200"));

        assertThat(KINDS.isInfrastructure(rejected)).isFalse();
        assertThat(new InfrastructureFailure(KINDS).matches(failed(rejected))).isFalse();
        assertThat(KINDS.reason(rejected).code()).isEqualTo("write-rejected");
    }

    @Test
    void aValidatorsRefusalAndAnOversizeDocumentAreNotInfrastructure() {
        assertThat(KINDS.isInfrastructure(commandFailed(121, "DocumentValidationFailure", "Document failed validation")))
                .isFalse();
        assertThat(KINDS.isInfrastructure(commandFailed(17419, "Location17419",
                "Resulting document after update is larger than 16777216"))).isFalse();
    }

    private static Exchange failed(Exception failure) {
        CamelContext camel = new DefaultCamelContext();
        Exchange exchange = new DefaultExchange(camel);
        exchange.setException(failure);
        return exchange;
    }
}
