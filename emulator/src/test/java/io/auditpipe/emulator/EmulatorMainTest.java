package io.auditpipe.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The standalone command's option checks, before anything starts. */
class EmulatorMainTest {

  @Test
  void aBadLatencyIsAUsageErrorNamingTheOptionAndTheFormat() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new EmulatorMain()).setErr(new PrintWriter(err));

    int exit = cli.execute("--port", "0", "--latency", "fast");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("--latency")
        .contains("expected a duration such as 80ms, 80ms±20ms or 80ms+-20ms")
        .contains("'fast'")
        .doesNotContain("Exception");
  }
}
