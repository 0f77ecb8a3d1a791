package io.auditpipe.cli.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the topics of a local run that do not exist yet. */
final class LocalTopics {

  private LocalTopics() {}

  /**
   * Creates each of {@code names} missing from the cluster with {@code partitions} partitions and
   * the cluster's default replication factor.
   *
   * @return the topics it created
   */
  static List<String> ensure(String bootstrapServers, Collection<String> names, int partitions)
      throws ExecutionException, InterruptedException, TimeoutException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String name : names) {
        if (!existing.contains(name)) {
          missing.add(
              new NewTopic(name, java.util.Optional.of(partitions), java.util.Optional.empty()));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
      return missing.stream().map(NewTopic::name).toList();
    }
  }
}
