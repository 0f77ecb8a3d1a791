package io.auditpipe.emulator.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The emulator's page: plain HTML, CSS and JavaScript from the jar, no build step. {@code /} is
 * {@code index.html}; the rest is under {@link #PREFIX}. The page reads the {@code /_emulator} JSON
 * API.
 */
final class PageAssets {

  static final String PREFIX = "/_emulator/page/";

  private static final Map<String, ApiResponse> ASSETS =
      Map.of(
          "/",
          load("index.html", "text/html; charset=utf-8"),
          PREFIX + "page.css",
          load("page.css", "text/css; charset=utf-8"),
          PREFIX + "page.js",
          load("page.js", "text/javascript; charset=utf-8"));

  private PageAssets() {}

  static Optional<ApiResponse> get(String path) {
    return Optional.ofNullable(ASSETS.get(path));
  }

  private static ApiResponse load(String name, String contentType) {
    try (InputStream in = PageAssets.class.getResourceAsStream("page/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the emulator jar lacks its page asset " + name);
      }
      return new ApiResponse(
          200, contentType, in.readAllBytes(), Map.of("Cache-Control", "no-cache"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
