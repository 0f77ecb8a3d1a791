package io.auditpipe.workos.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/** Checks and normalizes the WorkOS base URL: {@code https} unless the host is loopback. */
public final class BaseUrls {

  private BaseUrls() {}

  /**
   * The base URL without a trailing slash.
   *
   * @throws IllegalArgumentException if it is not an absolute http(s) URL without query, or if it
   *     is plain {@code http} to a host that is not loopback and {@code allowInsecureHttp} is false
   */
  public static URI normalize(URI baseUrl, boolean allowInsecureHttp) {
    String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException(
          "baseUrl: expected an http or https URL, found scheme \"" + scheme + "\"");
    }
    if (baseUrl.getHost() == null) {
      throw new IllegalArgumentException("baseUrl: expected a host, found none in " + baseUrl);
    }
    if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "baseUrl: expected no query or fragment, found " + baseUrl);
    }
    if (baseUrl.getRawUserInfo() != null) {
      throw new IllegalArgumentException("baseUrl: expected no user info in the URL");
    }
    if (scheme.equals("http") && !allowInsecureHttp && !isLoopback(baseUrl.getHost())) {
      throw new IllegalArgumentException(
          "baseUrl: expected https (the API key would travel in clear text), found http to "
              + baseUrl.getHost()
              + "; plain http is only allowed to a loopback host or when insecure HTTP is"
              + " explicitly allowed");
    }
    String s = baseUrl.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  /** Whether {@code host} is {@code localhost} or a loopback address literal. No DNS lookup. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false; // a name other than localhost: never resolved here
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
