package io.auditpipe.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditpipe.cli.AuditpipeCommand;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;

class KafkaOptionsTest {

  @Test
  void everyKafkaCommandSpellsTheConnectionOptionsTheSameWay() {
    CommandLine root = AuditpipeCommand.commandLine();
    List<CommandLine> commands =
        List.of(
            root.getSubcommands().get("reconcile"),
            root.getSubcommands().get("dlq").getSubcommands().get("inspect"),
            root.getSubcommands().get("dlq").getSubcommands().get("replay"));
    for (CommandLine command : commands) {
      OptionSpec bootstrap = command.getCommandSpec().findOption("--bootstrap-servers");
      OptionSpec property = command.getCommandSpec().findOption("--kafka-property");
      assertThat(bootstrap.names())
          .as(command.getCommandName())
          .containsExactly("-b", "--bootstrap-servers");
      assertThat(property.names())
          .as(command.getCommandName())
          .containsExactly("-X", "--kafka-property", "--consumer-property");
    }
  }

  @Command(name = "probe")
  static final class Probe {
    @Mixin KafkaOptions kafka;
  }

  @Test
  void theOldNameAndTheNewOneFillTheSameClientProperties() {
    Probe probe = new Probe();
    new CommandLine(probe)
        .parseArgs(
            "-b",
            "broker:9092",
            "-X",
            "security.protocol=SSL",
            "--consumer-property",
            "fetch.max.bytes=1024",
            "--kafka-property",
            "isolation.level=read_uncommitted");

    Properties consumer = probe.kafka.consumer("c");
    Properties producer = probe.kafka.producer("p");

    assertThat(consumer)
        .containsEntry("bootstrap.servers", "broker:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("fetch.max.bytes", "1024")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("client.id", "c");
    assertThat(producer)
        .containsEntry("bootstrap.servers", "broker:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("acks", "all")
        .containsEntry("client.id", "p");
  }
}
