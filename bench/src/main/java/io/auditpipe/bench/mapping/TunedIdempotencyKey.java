package io.auditpipe.bench.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Prototype of {@code IdempotencyKeys.fromEventId} for one rule, producing the same keys: the
 * digest is primed once with the kind and cloned per key instead of looked up, and the rule's part
 * is encoded once. Sizes a proposed change to core; not used by the variants.
 */
final class TunedIdempotencyKey {

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final MessageDigest primed;
  private final byte[] ruleAndIndex;

  TunedIdempotencyKey(String rule, int index) {
    try {
      primed = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    primed.update((byte) 'i');
    byte[] r = part(rule.getBytes(StandardCharsets.UTF_8));
    byte[] i = part(Integer.toString(index).getBytes(StandardCharsets.UTF_8));
    ruleAndIndex = new byte[r.length + i.length];
    System.arraycopy(r, 0, ruleAndIndex, 0, r.length);
    System.arraycopy(i, 0, ruleAndIndex, r.length, i.length);
  }

  String fromEventId(String eventId) {
    MessageDigest sha;
    try {
      sha = (MessageDigest) primed.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
    sha.update(part(eventId.getBytes(StandardCharsets.UTF_8)));
    sha.update(ruleAndIndex);
    return "ap1-" + BASE64.encodeToString(sha.digest());
  }

  private static byte[] part(byte[] bytes) {
    byte[] length = Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[1 + length.length + 1 + bytes.length];
    out[0] = 0;
    System.arraycopy(length, 0, out, 1, length.length);
    out[1 + length.length] = ':';
    System.arraycopy(bytes, 0, out, 2 + length.length, bytes.length);
    return out;
  }
}
