package io.auditpipe.cli.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The domain records of the end-to-end test, for the rules in {@code shop-rules.json}: orders
 * (fanned out over their items, some also "large"), logins, and among them records no rule selects,
 * tombstones, malformed JSON, orders no rule can map and orders that break a WorkOS limit.
 */
final class ShopEvents {

  /** What a generated record is meant to become. */
  enum Kind {
    /** One or more events. */
    MAPPED,
    /** Nothing: no rule selects it. */
    UNMATCHED,
    /** Nothing: a null value. */
    TOMBSTONE,
    /** A dead letter at stage convert. */
    MALFORMED,
    /** A dead letter at stage map (no actor id, or a large order without a key). */
    UNMAPPABLE,
    /** A dead letter at stage validate (a metadata string over 500 characters). */
    INVALID;

    boolean deadLettered() {
      return this == MALFORMED || this == UNMAPPABLE || this == INVALID;
    }
  }

  /** A record to produce and what it is meant to become. */
  record Generated(Kind kind, ProducerRecord<byte[], byte[]> record) {}

  static final List<String> ORGANIZATIONS =
      List.of("org_e2e_acme", "org_e2e_globex", "org_e2e_initech");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long RECORD_TIME = Instant.parse("2026-01-10T08:00:00Z").toEpochMilli();
  private static final long ORDER_TIME = Instant.parse("2026-01-09T12:00:00.250Z").toEpochMilli();
  private static final long PLACED_SECONDS = Instant.parse("2026-01-08T00:00:00Z").getEpochSecond();
  private static final OffsetDateTime LOGIN_TIME =
      OffsetDateTime.of(2026, 1, 9, 10, 15, 30, 123_000_000, ZoneOffset.ofHours(2));

  private ShopEvents() {}

  /** {@code count} records for {@code topic} spread over {@code partitions} partitions. */
  static List<Generated> generate(String topic, int partitions, int count) {
    List<Generated> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Kind kind = kindOf(i);
      RecordHeaders headers = new RecordHeaders();
      if (i % 2 == 0) {
        headers.add("user-agent", utf8(userAgent(i)));
      }
      headers.add("x-client-version", utf8(i % 3 == 0 ? "2.10" : "1.0.3"));
      byte[] value =
          switch (kind) {
            case TOMBSTONE -> null;
            case UNMATCHED -> json(cartViewed(i));
            case MALFORMED ->
                utf8("{\"type\": \"order\", \"event_id\": \"evt-" + i + "\", \"tenant\": ");
            case UNMAPPABLE -> {
              ObjectNode order = order(i);
              if (i % 100 != 40) {
                order.remove("user");
              }
              yield json(order);
            }
            case INVALID -> json(order(i).put("note", "n".repeat(501)));
            case MAPPED -> json(i % 4 == 1 ? login(i) : order(i));
          };
      records.add(
          new Generated(
              kind,
              new ProducerRecord<>(
                  topic, i % partitions, RECORD_TIME + i * 1_000L + 7, key(i), value, headers)));
    }
    return records;
  }

  /**
   * Logins are keyed by a JSON object, some of them in a Connect JSON envelope; orders by a
   * customer id, some of them all digits, and a few by bytes that are not UTF-8 (no key for the
   * rules, which the connector's StringConverter must not turn into one).
   */
  private static byte[] key(int i) {
    if (i % 100 == 40) {
      return new byte[] {'c', '-', (byte) 0xFF};
    }
    String customer = "{\"customer\": \"customer-" + (i % 17) + "\", \"region\": \"eu\"}";
    if (i % 8 == 5) {
      return utf8("{\"schema\": {\"type\": \"struct\"}, \"payload\": " + customer + "}");
    }
    if (i % 4 == 1) {
      return utf8(customer);
    }
    return utf8(i % 10 == 0 ? Integer.toString(4700 + i) : "customer-" + (i % 17));
  }

  private static Kind kindOf(int i) {
    if (i % 100 == 40) {
      // A large order whose key is not UTF-8: its "order-large" rule has no customer to read.
      return Kind.UNMAPPABLE;
    }
    if (i % 50 == 29) {
      return Kind.TOMBSTONE;
    }
    return switch (i % 20) {
      case 3 -> Kind.UNMATCHED;
      case 7 -> Kind.MALFORMED;
      case 13 -> Kind.UNMAPPABLE;
      case 17 -> Kind.INVALID;
      default -> Kind.MAPPED;
    };
  }

  private static ObjectNode order(int i) {
    ObjectNode order = MAPPER.createObjectNode();
    order.put("type", "order");
    order.put("event_id", "evt-" + i);
    order.put("status", List.of("paid", "shipped", "refunded").get(i % 3));
    order.put("ts", ORDER_TIME + i * 60_000L + i);
    // Whole and fractional epoch seconds: the connector's projected parser must read both alike.
    order.put(
        "placed",
        i % 4 == 0
            ? BigDecimal.valueOf(PLACED_SECONDS + i)
            : new BigDecimal((PLACED_SECONDS + i) + ".5"));
    order.putObject("tenant").put("org", ORGANIZATIONS.get(i % ORGANIZATIONS.size()));
    order.put("ip", "203.0.113." + (i % 250));
    if (i % 6 == 0) {
      order.put("env", "staging");
    }
    ObjectNode user = order.putObject("user").put("id", "u-" + (i % 23));
    if (i % 2 == 0) {
      user.put("name", "Zoë " + i);
    }
    user.put("email", "  User" + i + "@Example.com ");
    ObjectNode details = order.putObject("order").put("id", "o-" + i);
    if (i % 4 == 0) {
      details.put("total", 500 + i);
    } else {
      details.put("total", new BigDecimal(i + ".50"));
    }
    order.put("paid", i % 2 == 0);
    ArrayNode items = order.putArray("items");
    for (int j = 0; j < i % 4; j++) {
      items.addObject().put("sku", "sku-" + i + "-" + j).put("name", "Item " + j).put("qty", j + 1);
    }
    order.put("item_count", items.size());
    order.put("priority", i % 5 == 0 ? "high" : "normal");
    if (i % 7 == 0) {
      order.put("coupon", "WELCOME10");
    }
    return order;
  }

  private static ObjectNode login(int i) {
    ObjectNode login = MAPPER.createObjectNode();
    login.put("type", "login");
    login.putObject("tenant").put("slug", i % 8 == 1 ? "ACME" : "globex");
    login.put("at", LOGIN_TIME.plusMinutes(i).toString());
    login.put("ip", "192.0.2." + (i % 250));
    ObjectNode user = login.putObject("user").put("id", "u-" + (i % 23));
    if (i % 3 != 0) {
      user.put("name", "Ada " + i);
    }
    login.put("method", i % 3 == 0 ? "sso" : "password");
    login.put("mfa", i % 2 == 0);
    login.put("attempt", i % 3 + 1);
    return login;
  }

  private static ObjectNode cartViewed(int i) {
    ObjectNode cart = MAPPER.createObjectNode();
    cart.put("type", "cart.viewed");
    cart.putObject("tenant").put("org", ORGANIZATIONS.get(0));
    cart.put("ip", "198.51.100." + (i % 250));
    return cart;
  }

  private static String userAgent(int i) {
    return i % 4 == 0
        ? "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"
        : "curl/8.5.0";
  }

  private static byte[] json(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a generated record", e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
