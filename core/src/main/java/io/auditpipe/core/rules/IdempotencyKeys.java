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
      byte[] r = rule.getBytes(StandardCharsets.UTF_8);
      byte[] i = Integer.toString(index).getBytes(StandardCharsets.US_ASCII);
      ruleAndIndex = new byte[partLength(r) + partLength(i)];
      putPart(ruleAndIndex, putPart(ruleAndIndex, 0, r), i);
    }

    /** {@link IdempotencyKeys#fromCoordinates} for this rule and index. */
    public String fromCoordinates(String topic, int partition, long offset) {
      byte[] t = topic.getBytes(StandardCharsets.UTF_8);
      byte[] p = Integer.toString(partition).getBytes(StandardCharsets.US_ASCII);
      byte[] o = Long.toString(offset).getBytes(StandardCharsets.US_ASCII);
      byte[] material = begin('c', partLength(t) + partLength(p) + partLength(o));
      putPart(material, putPart(material, putPart(material, 1, t), p), o);
      return finish(material);
    }

    /** {@link IdempotencyKeys#fromEventId} for this rule and index. */
    public String fromEventId(String eventId) {
      byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
      byte[] material = begin('i', partLength(id));
      putPart(material, 1, id);
      return finish(material);
    }

    /**
     * The key material of a kind with {@code partsLength} bytes of parts: the kind, room for the
     * parts from index 1, then this rule's part. Assembled whole so that the digest is one call.
     */
    private byte[] begin(char kind, int partsLength) {
      byte[] material = new byte[1 + partsLength + ruleAndIndex.length];
      material[0] = (byte) kind;
      System.arraycopy(
          ruleAndIndex, 0, material, material.length - ruleAndIndex.length, ruleAndIndex.length);
      return material;
    }

    private static String finish(byte[] material) {
      MessageDigest sha = DIGEST.get();
      // A digest left mid-update by an earlier failure must not leak into this key.
      sha.reset();
      return PREFIX + BASE64.encodeToString(sha.digest(material));
    }
  }

  // Each part is length-prefixed so ("ab","c") and ("a","bc") cannot collide: 0, the length in
  // ASCII digits, ':', the bytes.
  private static int partLength(byte[] bytes) {
    return digits(bytes.length) + 2 + bytes.length;
  }

  /** Writes {@code bytes} as a part at {@code at}; returns the index after it. */
  private static int putPart(byte[] out, int at, byte[] bytes) {
    out[at] = 0;
    int end = at + 1 + digits(bytes.length);
    for (int n = bytes.length, i = end - 1; i > at; i--, n /= 10) {
      out[i] = (byte) ('0' + n % 10);
    }
    out[end] = ':';
    System.arraycopy(bytes, 0, out, end + 1, bytes.length);
    return end + 1 + bytes.length;
  }

  private static int digits(int n) {
    int d = 1;
    while (n >= 10) {
      n /= 10;
      d++;
    }
    return d;
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
