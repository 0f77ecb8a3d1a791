package io.auditpipe.core.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Deterministic {@code Idempotency-Key}s. A replay of the same source record (after a crash, a
 * rebalance, or through the processor instead of the connector) derives the same key, so WorkOS
 * stores one event.
 *
 * <p>Keys are {@code ap1-} followed by the URL-safe Base64 of a SHA-256 over the key material, so
 * they have a fixed length of 47 characters whatever the topic or id length, and reveal no record
 * content.
 */
public final class IdempotencyKeys {

  private static final String PREFIX = "ap1-";
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  // MessageDigest.getInstance costs a provider lookup per call; one digest per thread avoids it.
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(IdempotencyKeys::newDigest);

  private IdempotencyKeys() {}

  /**
   * Key for an event of a record without a stable id: its coordinates, the rule, and the event's
   * index among the events that rule made of the record.
   */
  public static String fromCoordinates(
      String topic, int partition, long offset, String rule, int index) {
    return hash(
        "c",
        topic,
        Integer.toString(partition),
        Long.toString(offset),
        rule,
        Integer.toString(index));
  }

  /** Key for an event of a record whose domain event carries a stable id. */
  public static String fromEventId(String eventId, String rule, int index) {
    return hash("i", eventId, rule, Integer.toString(index));
  }

  private static String hash(String kind, String... parts) {
    MessageDigest sha = DIGEST.get();
    // A digest left mid-update by an earlier failure must not leak into this key.
    sha.reset();
    sha.update(kind.getBytes(StandardCharsets.UTF_8));
    for (String part : parts) {
      byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
      // Length-prefix each part so ("ab","c") and ("a","bc") cannot collide.
      sha.update((byte) 0);
      sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) ':');
      sha.update(bytes);
    }
    return PREFIX + BASE64.encodeToString(sha.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
