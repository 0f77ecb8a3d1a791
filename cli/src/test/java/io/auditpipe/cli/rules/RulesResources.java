package io.auditpipe.cli.rules;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test documents beside the tests, as files the commands can be pointed at. */
final class RulesResources {

  private RulesResources() {}

  static String path(String name) {
    try {
      return Path.of(RulesResources.class.getResource(name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
