package io.crmsync.core.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a command prints for a failure: its deepest cause, on one line, with no credential in it. */
class RedactionTest {

    @Test
    void aCommandsFailureIsItsRootCauseOnOneLineWithoutCredentials() {
        Exception failure = new IllegalStateException("context failed", new RuntimeException(
                "cannot connect to mongodb://crm:s3cret@mongo:27017/crm\n  password=hunter2"));

        String printed = Redaction.rootCause(failure);

        assertThat(printed).isEqualTo("RuntimeException: cannot connect to mongodb://crm:***@mongo:27017/crm password=***");
    }
}
