package io.auditpipe.processor.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads the processor's configuration from a properties file, then applies environment overrides:
 * {@code AUDITPIPE_<KEY>} sets {@code <key>} with {@code _} read as {@code .} and {@code __} as
 * {@code _} ({@code AUDITPIPE_BOOTSTRAP_SERVERS} → {@code bootstrap.servers}, {@code
 * AUDITPIPE_RULES_PATH} → {@code rules.path}). Environment wins, so a container can keep one file
 * and vary the broker or secrets.
 */
public final class ProcessorConfigLoader {

  /** The prefix of environment variables that override configuration keys. */
  public static final String ENV_PREFIX = "AUDITPIPE_";

  private ProcessorConfigLoader() {}

  /**
   * The validated configuration from {@code file}, if any, and {@code env}.
   *
   * @throws org.apache.kafka.common.config.ConfigException naming the key, or the file that cannot
   *     be read
   */
  public static ProcessorConfig load(Optional<Path> file, Map<String, String> env) {
    Map<String, String> props = new HashMap<>();
    file.ifPresent(f -> props.putAll(read(f)));
    props.putAll(overrides(env));
    return new ProcessorConfig(props);
  }

  /** The configuration keys set by {@code env}. */
  public static Map<String, String> overrides(Map<String, String> env) {
    Map<String, String> overrides = new HashMap<>();
    for (Map.Entry<String, String> entry : env.entrySet()) {
      String name = entry.getKey();
      if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
        overrides.put(keyOf(name.substring(ENV_PREFIX.length())), entry.getValue());
      }
    }
    return overrides;
  }

  static String keyOf(String envSuffix) {
    return envSuffix
        .toLowerCase(Locale.ROOT)
        .replace("__", "\u0000")
        .replace('_', '.')
        .replace('\u0000', '_');
  }

  private static Map<String, String> read(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("expected a readable properties file at " + file + ", found " + e);
    }
    Map<String, String> props = new HashMap<>();
    for (String name : properties.stringPropertyNames()) {
      props.put(name, properties.getProperty(name).trim());
    }
    return props;
  }
}
