package io.auditpipe.processor.topology;

import io.auditpipe.core.avro.AuditEventRecord;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.processor.output.AuditEventRecordSerializer;
import io.auditpipe.processor.output.OutputFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * Builds the processor's topology from compiled rules: one source over every topic (and the topic
 * pattern) the rules name, reading raw bytes so that no record can fail deserialization; one
 * mapping processor; one sink to the output topic. Failures leave through Streams' processing
 * exception handler ({@link io.auditpipe.processor.errors.DeadLetterHandler}) to the dead-letter
 * topic.
 */
public final class AuditTopologyFactory {

  /** Processor node names, stable so that Streams' per-node metrics keep their names. */
  public static final String SOURCE = "auditpipe-domain-records";

  public static final String MAPPER = "auditpipe-map";
  public static final String SINK = "auditpipe-audit-events";

  private AuditTopologyFactory() {}

  /**
   * The topology mapping the topics {@code rules} select into {@code outputTopic}.
   *
   * @throws IllegalArgumentException when the rules select no topic, select the output topic
   *     itself, or resolve an organization by external id (the processor does not ask WorkOS)
   */
  public static Topology build(CompiledRules rules, String outputTopic, OutputFormat format) {
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(format, "format");
    Optional<Pattern> subscription = subscription(rules);
    if (subscription.isEmpty()) {
      throw new IllegalArgumentException(
          "expected the rules to select at least one topic (\"topics\" or \"topic_pattern\"),"
              + " found none");
    }
    requireNotSubscribed(subscription.get(), outputTopic, "output");
    requireNoOrganizationLookups(rules);

    ProcessorSupplier<byte[], byte[], String, AuditEventRecord> mapper =
        () -> new AuditMappingProcessor(rules, format);
    Topology topology = new Topology();
    if (rules.topicPattern().isEmpty()) {
      topology.addSource(
          SOURCE,
          new ByteArrayDeserializer(),
          new ByteArrayDeserializer(),
          rules.topics().stream().sorted().toArray(String[]::new));
    } else {
      topology.addSource(
          SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), subscription.get());
    }
    topology.addProcessor(MAPPER, mapper, SOURCE);
    topology.addSink(
        SINK, outputTopic, new StringSerializer(), new AuditEventRecordSerializer(format), MAPPER);
    return topology;
  }

  /**
   * One pattern covering every topic the rules select. Streams refuses a topic that a named source
   * and a pattern source both match, so named topics join the pattern instead of getting a source
   * of their own.
   */
  public static Optional<Pattern> subscription(CompiledRules rules) {
    String named =
        rules.topics().stream().sorted().map(Pattern::quote).collect(Collectors.joining("|"));
    Optional<Pattern> pattern = rules.topicPattern();
    if (pattern.isEmpty()) {
      return named.isEmpty() ? Optional.empty() : Optional.of(Pattern.compile(named));
    }
    String regex = "(?:" + pattern.get().pattern() + ")" + (named.isEmpty() ? "" : "|" + named);
    return Optional.of(Pattern.compile(regex, pattern.get().flags()));
  }

  /**
   * Fails when a rule resolves its organization by external id: the processor makes no WorkOS
   * calls, so every such event would be dead-lettered as "no organization" without WorkOS ever
   * being asked.
   */
  static void requireNoOrganizationLookups(CompiledRules rules) {
    List<String> lookups = rules.rulesLookingUpOrganizations();
    if (!lookups.isEmpty()) {
      throw new IllegalArgumentException(
          String.join(", ", lookups)
              + (lookups.size() == 1 ? ": its" : ": their")
              + " organization_id resolves an {\"external_id\": …} through WorkOS, which the"
              + " processor does not do; expected a WorkOS organization id (e.g. from a lookup"
              + " table or a field of the record), or deliver these records with the connector,"
              + " which resolves external ids");
    }
  }

  /**
   * Fails when the rules would read {@code topic}: reading our own output or dead letters would
   * loop.
   */
  public static void requireNotSubscribed(Pattern subscription, String topic, String role) {
    if (subscription.matcher(topic).matches()) {
      throw new IllegalArgumentException(
          "expected the "
              + role
              + " topic \""
              + topic
              + "\" to be outside the topics the rules select, found it selected by "
              + subscription.pattern());
    }
  }
}
