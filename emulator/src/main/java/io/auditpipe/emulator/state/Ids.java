package io.auditpipe.emulator.state;

import java.util.concurrent.ThreadLocalRandom;

/** ULID-shaped identifiers with WorkOS's prefixes ({@code org_}, {@code audit_log_export_}, …). */
public final class Ids {

  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private Ids() {}

  /** A new identifier: the prefix, then 26 Crockford base-32 characters (time, then randomness). */
  public static String next(String prefix) {
    char[] out = new char[26];
    long time = System.currentTimeMillis();
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (time & 31)];
      time >>>= 5;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 10; i < 26; i++) {
      out[i] = CROCKFORD[random.nextInt(32)];
    }
    return prefix + new String(out);
  }
}
