package io.auditpipe.core.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
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
    return forRule(rule, index).fromCoordinates(topic, partition, offset);
  }

  /** Key for an event of a record whose domain event carries a stable id. */
  public static String fromEventId(String eventId, String rule, int index) {
    return forRule(rule, index).fromEventId(eventId);
  }

  /**
   * The keys of one rule's events at {@code index}, the same as {@link #fromEventId} and {@link
   * #fromCoordinates} give, with the rule's part of the key material encoded once: for callers that
   * derive many keys of the same rule.
   */
  public static RuleKeys forRule(String rule, int index) {
    return new RuleKeys(rule, index);
  }

  /** Keys of one rule and event index. Immutable and thread-safe. */
  public static final class RuleKeys {

    // The key material ends with the rule and the index: encoded here once.
    private final byte[] ruleAndIndex;

    private RuleKeys(String rule, int index) {
      byte[] r = part(rule.getBytes(StandardCharsets.UTF_8));
      byte[] i = part(Integer.toString(index).getBytes(StandardCharsets.US_ASCII));
      ruleAndIndex = Arrays.copyOf(r, r.length + i.length);
      System.arraycopy(i, 0, ruleAndIndex, r.length, i.length);
    }

    /** {@link IdempotencyKeys#fromCoordinates} for this rule and index. */
    public String fromCoordinates(String topic, int partition, long offset) {
      MessageDigest sha = begin('c');
      update(sha, topic.getBytes(StandardCharsets.UTF_8));
      update(sha, Integer.toString(partition).getBytes(StandardCharsets.US_ASCII));
      update(sha, Long.toString(offset).getBytes(StandardCharsets.US_ASCII));
      return finish(sha);
    }

    /** {@link IdempotencyKeys#fromEventId} for this rule and index. */
    public String fromEventId(String eventId) {
      MessageDigest sha = begin('i');
      update(sha, eventId.getBytes(StandardCharsets.UTF_8));
      return finish(sha);
    }

    private static MessageDigest begin(char kind) {
      MessageDigest sha = DIGEST.get();
      // A digest left mid-update by an earlier failure must not leak into this key.
      sha.reset();
      sha.update((byte) kind);
      return sha;
    }

    private String finish(MessageDigest sha) {
      sha.update(ruleAndIndex);
      return PREFIX + BASE64.encodeToString(sha.digest());
    }
  }

  // Each part is length-prefixed so ("ab","c") and ("a","bc") cannot collide: 0, the length in
  // ASCII digits, ':', the bytes.
  private static void update(MessageDigest sha, byte[] bytes) {
    sha.update((byte) 0);
    sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) ':');
    sha.update(bytes);
  }

  private static byte[] part(byte[] bytes) {
    byte[] length = Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[length.length + 2 + bytes.length];
    System.arraycopy(length, 0, out, 1, length.length);
    out[length.length + 1] = ':';
    System.arraycopy(bytes, 0, out, length.length + 2, bytes.length);
    return out;
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
