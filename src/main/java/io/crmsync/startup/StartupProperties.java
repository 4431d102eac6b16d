package io.crmsync.startup;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code crm.startup.*}: how crm-sync waits for servers that do not answer at start-up.
 *
 * @param retryMin        first wait after a server did not answer; doubled after each further attempt
 * @param retryMax        longest wait between attempts, so work begins at most this long after the server answers
 * @param firstAnswerWait how long a consumer's start waits for the first answer of the servers it needs before it
 *                        counts them as away (a server that is up answers well within it)
 */
@Validated
@ConfigurationProperties("crm.startup")
public record StartupProperties(Duration retryMin, Duration retryMax, Duration firstAnswerWait) {

    public StartupProperties {
        retryMin = retryMin == null ? Duration.ofMillis(500) : retryMin;
        retryMax = retryMax == null ? Duration.ofSeconds(5) : retryMax;
        firstAnswerWait = firstAnswerWait == null ? Duration.ofSeconds(5) : firstAnswerWait;
    }
}
