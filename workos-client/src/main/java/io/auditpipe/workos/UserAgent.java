package io.auditpipe.workos;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The default {@code User-Agent}: {@code auditpipe/<version>}, the version filtered in by Maven.
 */
final class UserAgent {

  static final String VERSION = readVersion();
  static final String DEFAULT = "auditpipe/" + VERSION;

  private UserAgent() {}

  private static String readVersion() {
    try (InputStream in = UserAgent.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "dev");
      // Unfiltered (running from an IDE without Maven's resource filtering).
      return v.startsWith("${") ? "dev" : v;
    } catch (IOException e) {
      return "dev";
    }
  }
}
