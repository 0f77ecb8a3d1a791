package io.auditpipe.connect.it;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Stops the Connect cluster the integration tests share, and any cluster a test class left running,
 * once the test plan has run, while the JVM is still alive, rather than in a shutdown hook (see
 * {@link ConnectClusterSupport#stopAll()}). Registered through {@code
 * META-INF/services/org.junit.platform.launcher.TestExecutionListener}; should a later plan in the
 * same JVM need the cluster again, {@link ConnectClusterSupport#sharedCluster()} starts a new one.
 */
public final class SharedClusterStop implements TestExecutionListener {

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    ConnectClusterSupport.stopAll();
  }
}
