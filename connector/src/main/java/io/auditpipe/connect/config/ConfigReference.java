package io.auditpipe.connect.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders the connector's {@link ConfigDef} as the Markdown reference {@code
 * docs/connector-config.md}, so the documentation cannot drift from the code: a test compares the
 * checked-in file with this output.
 */
public final class ConfigReference {

  private ConfigReference() {}

  /** The reference document. */
  public static String markdown() {
    ConfigDef def = WorkOsSinkConnectorConfig.configDef();
    StringBuilder out = new StringBuilder();
    out.append("# Connector configuration reference\n\n")
        .append(
            "<!-- Generated from WorkOsSinkConnectorConfig by ConfigReference; do not edit."
                + " Regenerate: mvn -pl connector test -Dtest=ConfigReferenceTest"
                + " -Dauditpipe.docs.update=true -->\n\n")
        .append(
            "Connector class: `io.auditpipe.connect.WorkOsSinkConnector`. Connect's own sink keys"
                + " (`topics`, `tasks.max`, converters, `errors.*`) apply as usual; the keys below are"
                + " the connector's.\n");
    for (String group : def.groups()) {
      out.append("\n## ").append(group).append("\n");
      List<ConfigDef.ConfigKey> keys =
          def.configKeys().values().stream()
              .filter(k -> group.equals(k.group) && !k.internalConfig)
              .sorted(Comparator.comparingInt(k -> k.orderInGroup))
              .collect(Collectors.toList());
      for (ConfigDef.ConfigKey key : keys) {
        out.append("\n### `").append(key.name).append("`\n\n");
        out.append(key.documentation).append("\n\n");
        out.append("- Type: ")
            .append(key.type.name().toLowerCase(java.util.Locale.ROOT))
            .append('\n');
        out.append("- Default: ").append(defaultText(key)).append('\n');
        if (key.validator != null) {
          out.append("- Valid values: ").append(key.validator).append('\n');
        }
        out.append("- Importance: ")
            .append(key.importance.name().toLowerCase(java.util.Locale.ROOT))
            .append('\n');
      }
    }
    return out.toString();
  }

  private static String defaultText(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "none (required)";
    }
    if (key.defaultValue == null) {
      return "null";
    }
    String text = ConfigDef.convertToString(key.defaultValue, key.type);
    return text.isEmpty() ? "\"\"" : "`" + text + "`";
  }

  /** Writes the reference to the path given as the only argument. */
  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
  }
}
