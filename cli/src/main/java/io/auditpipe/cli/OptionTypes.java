package io.auditpipe.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * How option values are read, the same for every subcommand: durations as {@code 30s}, {@code 2m}
 * or ISO-8601, instants as ISO-8601, ports as 0–65535; a wrong value is a usage error that says the
 * expected format.
 */
final class OptionTypes {

  private static final Pattern SHORT_DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private OptionTypes() {}

  static void install(CommandLine commandLine) {
    commandLine.registerConverter(Duration.class, OptionTypes::duration);
    commandLine.registerConverter(Instant.class, OptionTypes::instant);
    installPorts(commandLine);
  }

  /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601 ({@code PT30S}). */
  static Duration duration(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT_DURATION.matcher(v);
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      long unitMillis =
          switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
          };
      return Duration.ofMillis(Math.round(amount * unitMillis));
    }
    try {
      return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "expected a duration such as 500ms, 30s, 2m, 1h or PT30S, found '" + value + "'");
    }
  }

  /** ISO-8601 with an offset: {@code 2026-03-01T00:00:00Z} or {@code 2026-03-01T01:00:00+01:00}. */
  static Instant instant(String value) {
    try {
      return OffsetDateTime.parse(value.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "expected an ISO-8601 instant such as 2026-03-01T00:00:00Z, found '" + value + "'");
    }
  }

  static int port(String value) {
    int port;
    try {
      port = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new TypeConversionException(
          "expected a port from 0 to 65535 (0: any free port), found '" + value + "'");
    }
    return port;
  }

  /** Every int option named {@code --port} or {@code --…-port}, in every subcommand. */
  private static void installPorts(CommandLine commandLine) {
    CommandSpec spec = commandLine.getCommandSpec();
    for (OptionSpec option : spec.options().toArray(OptionSpec[]::new)) {
      boolean isPort =
          option.longestName().equals("--port") || option.longestName().endsWith("-port");
      if (isPort && (option.type() == int.class || option.type() == Integer.class)) {
        ITypeConverter<?>[] converters = {OptionTypes::port};
        spec.remove(option);
        spec.addOption(option.toBuilder().converters(converters).build());
      }
    }
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      installPorts(sub);
    }
  }
}
