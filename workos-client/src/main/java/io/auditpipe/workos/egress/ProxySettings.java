package io.auditpipe.workos.egress;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP proxy for the WorkOS calls: https is tunnelled through it with {@code CONNECT}, plain
 * http is sent to it. With a user name, every request to the proxy carries Basic credentials.
 *
 * @param url the proxy, {@code http://host:port}
 * @param username the proxy user, when it requires authentication
 * @param password the proxy user's password (with {@code username} only)
 */
public record ProxySettings(URI url, Optional<String> username, Optional<Secret> password) {

  public ProxySettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") || url.getHost() == null || url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "workos.proxy.url: expected http://host:port without user info (credentials go in"
              + " workos.proxy.username and workos.proxy.password), found "
              + (url.getRawUserInfo() != null ? "a URL with user info" : url.toString()));
    }
    if (password.isPresent() && username.isEmpty()) {
      throw new IllegalArgumentException(
          "workos.proxy.password: expected with workos.proxy.username, found it alone");
    }
  }

  /** A proxy without authentication. */
  public static ProxySettings of(URI url) {
    return new ProxySettings(url, Optional.empty(), Optional.empty());
  }

  /** The proxy's port, 80 when the URL has none. */
  public int port() {
    return url.getPort() < 0 ? 80 : url.getPort();
  }
}
