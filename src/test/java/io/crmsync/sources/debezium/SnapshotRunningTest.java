package io.crmsync.sources.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.junit.jupiter.api.Test;

/**
 * The slot monitor reads Debezium's own snapshot metrics, under the name and attribute Debezium registers them with,
 * so a long snapshot is never taken for a dead connector and restarted half read.
 */
class SnapshotRunningTest {

    /** The one attribute of Debezium's snapshot metrics MXBean the monitor reads. */
    public interface SnapshotMetrics {
        boolean getSnapshotRunning();
    }

    @Test
    void aSnapshotRunningInThisJvmIsSeenAndItsEndToo() throws Exception {
        ObjectName name = new ObjectName("debezium.postgres:type=connector-metrics,context=snapshot,server=crm-test");
        boolean[] running = {true};
        ManagementFactory.getPlatformMBeanServer().registerMBean(
                new StandardMBean((SnapshotMetrics) () -> running[0], SnapshotMetrics.class, true), name);
        try {
            assertThat(SlotMonitor.snapshotRunningHere()).isTrue();
            running[0] = false;
            assertThat(SlotMonitor.snapshotRunningHere()).isFalse();
        } finally {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        }
    }

    @Test
    void noConnectorInThisJvmMeansNoSnapshot() {
        assertThat(SlotMonitor.snapshotRunningHere()).isFalse();
    }
}
