package io.auditpipe.processor;

import io.auditpipe.processor.config.ProcessorConfig;
import io.auditpipe.processor.config.ProcessorConfigLoader;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The processor in a JVM of its own, for tests that kill it: {@code ProcessorProcess
 * processor.properties}. Users run {@code auditpipe processor --config …}.
 */
public final class ProcessorProcess {

  private ProcessorProcess() {}

  public static void main(String[] args) throws Exception {
    ProcessorConfig config =
        ProcessorConfigLoader.load(Optional.of(Path.of(args[0])), System.getenv());
    ProcessorRunner.Ending ending =
        ProcessorRunner.runUntilStopped(ProcessorRunner.prepare(config), config);
    System.exit(ending == ProcessorRunner.Ending.STOPPED ? 0 : 1);
  }
}
