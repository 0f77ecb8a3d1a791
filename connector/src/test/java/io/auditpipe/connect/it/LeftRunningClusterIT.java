package io.auditpipe.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, defect 8: a Connect cluster a test class leaves running is stopped, workers before the
 * broker, when the test plan ends ({@link SharedClusterStop}), so that Connect's own shutdown hook
 * finds nothing to stop at {@code System.exit} (see {@link ConnectClusterSupport#stopAll()}).
 */
class LeftRunningClusterIT {

  @Test
  void aClusterLeftRunningIsStoppedWhenThePlanEndsSoConnectsShutdownHookHasNothingLeft() {
    EmbeddedConnectCluster cluster =
        ConnectClusterSupport.startCluster("auditpipe-left-running", 1);
    WorkerHandle worker = cluster.workers().iterator().next();
    assertThat(ConnectClusterSupport.running(cluster)).isTrue();

    // The end of the test plan; a test class after this one gets a new shared cluster.
    new SharedClusterStop().testPlanExecutionFinished(null);

    assertThat(ConnectClusterSupport.running(cluster)).isFalse();
    // What Connect's shutdown hook does at System.exit: Connect.stop, a no-op once stopped.
    long start = System.nanoTime();
    worker.stop();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }
}
