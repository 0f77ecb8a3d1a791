package io.auditpipe.cli.local;

import java.nio.file.Path;

/**
 * Sends the logs of everything a local run starts (broker, Connect, Streams) to a file, so the
 * terminal shows only auditpipe's own progress. Must run before the first logger is created.
 */
final class LocalLogging {

  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private LocalLogging() {}

  static void toFile(Path file) {
    setIfAbsent(PREFIX + "logFile", file.toString());
    setIfAbsent(PREFIX + "defaultLogLevel", "info");
    // simplelogger.properties quiets Kafka for the other commands; the log file wants it all.
    setIfAbsent(PREFIX + "log.org.apache.kafka", "info");
    setIfAbsent(PREFIX + "showDateTime", "true");
    setIfAbsent(PREFIX + "dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
