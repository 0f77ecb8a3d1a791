package io.auditpipe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the Maven project version, filtered into {@code version.properties}. */
public final class ProjectVersionProvider implements IVersionProvider {

  private static final String RESOURCE = "version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {
      "auditpipe " + projectVersion(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown") + ")"
    };
  }

  /** The project version the CLI was built from. */
  public static String projectVersion() {
    try (InputStream in = ProjectVersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
