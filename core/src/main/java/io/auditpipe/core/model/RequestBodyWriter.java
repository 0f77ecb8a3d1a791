package io.auditpipe.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the request body straight into bytes, byte for byte as {@link
 * AuditEventJson#writeRequestBody(AuditEvent, JsonGenerator)} writes it to a generator of the
 * factory given. Only the factory's number settings are read: its escaping and character features
 * must be Jackson's defaults, as those of {@code AuditEventJson}'s factory are. It skips what makes
 * the generator slow for small bodies: the state checks on every token, copying each string into a
 * char buffer, and encoding it char by char even when it is plain ASCII.
 *
 * <p>The escaping is Jackson's ({@code UTF8JsonGenerator}) default: {@code "} and {@code \} and the
 * control characters below U+0020 are escaped ({@code \b \t \n \f \r} short, the others as {@code
 * \}{@code u00XX} with upper-case hex digits), every surrogate char, paired or not, is escaped as
 * {@code \}{@code uXXXX} rather than combined into four UTF-8 bytes, and everything else, U+007F
 * included, is written as UTF-8.
 *
 * <p>Not thread-safe: one buffer, reused from body to body, so one instance per thread.
 */
final class RequestBodyWriter {

  // The body's fixed parts between its strings, in the order writeRequestBody writes them.
  private static final byte[] ORGANIZATION_ID = ascii("{\"organization_id\":");
  private static final byte[] EVENT_ACTION = ascii(",\"event\":{\"action\":");
  private static final byte[] OCCURRED_AT = ascii(",\"occurred_at\":");
  private static final byte[] VERSION = ascii(",\"version\":");
  private static final byte[] ACTOR = ascii(",\"actor\":");
  private static final byte[] TARGETS = ascii(",\"targets\":[");
  private static final byte[] CONTEXT_LOCATION = ascii("],\"context\":{\"location\":");
  private static final byte[] USER_AGENT = ascii(",\"user_agent\":");
  private static final byte[] METADATA = ascii(",\"metadata\":");
  private static final byte[] ENTITY_ID = ascii("{\"id\":");
  private static final byte[] TYPE = ascii(",\"type\":");
  private static final byte[] NAME = ascii(",\"name\":");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");

  private static final byte[] HEX = ascii("0123456789ABCDEF");

  /**
   * For each ASCII char: 0 if written as is, else the char after the backslash of its escape,
   * {@code u} for the {@code \}{@code u00XX} form.
   */
  private static final byte[] ESCAPES = new byte[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = 'u';
    }
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\n'] = 'n';
    ESCAPES['\f'] = 'f';
    ESCAPES['\r'] = 'r';
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
  }

  // Escaped chars take up to 6 bytes ("\u001F"); buffer room is made for this many at a time, so
  // that a long string does not need room for six times its length at once.
  private static final int MAX_BYTES_PER_CHAR = 6;
  private static final int CHARS_PER_ROOM_CHECK = 1024;

  // Typical bodies fit in the initial buffer; one grown past the retained size by an unusually
  // large body is let go after it, instead of being kept by the thread for good.
  private static final int INITIAL_CAPACITY = 1024;
  private static final int MAX_RETAINED_CAPACITY = 64 * 1024;

  private final boolean fastDoubles;
  private final boolean nonFiniteAsStrings;

  private byte[] buf = new byte[INITIAL_CAPACITY];
  private int len;

  /** A writer whose numbers are those of {@code factory}'s generators. */
  RequestBodyWriter(JsonFactory factory) {
    // Read once, as the generator reads them when created: how a double becomes text, and whether
    // NaN and the infinities are written as strings (they are no JSON numbers).
    this.fastDoubles = factory.isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
    this.nonFiniteAsStrings =
        factory.isEnabled(JsonWriteFeature.WRITE_NAN_AS_STRINGS.mappedFeature());
  }

  /** The request body of {@code event}, in a new array. */
  byte[] write(AuditEvent event) {
    // Whatever an earlier, failed write left in the buffer is ignored from here on.
    len = 0;
    raw(ORGANIZATION_ID);
    string(event.organizationId());
    raw(EVENT_ACTION);
    string(event.action());
    raw(OCCURRED_AT);
    occurredAt(event.occurredAt());
    if (event.version().isPresent()) {
      raw(VERSION);
      room(11);
      len = NumberOutput.outputInt(event.version().getAsInt(), buf, len);
    }
    raw(ACTOR);
    Actor actor = event.actor();
    entity(actor.id(), actor.type(), actor.name(), actor.metadata());
    raw(TARGETS);
    List<Target> targets = event.targets();
    for (int i = 0; i < targets.size(); i++) {
      if (i > 0) {
        one(',');
      }
      Target t = targets.get(i);
      entity(t.id(), t.type(), t.name(), t.metadata());
    }
    raw(CONTEXT_LOCATION);
    string(event.context().location());
    if (event.context().userAgent().isPresent()) {
      raw(USER_AGENT);
      string(event.context().userAgent().get());
    }
    one('}');
    if (!event.metadata().isEmpty()) {
      raw(METADATA);
      metadata(event.metadata());
    }
    room(2);
    buf[len++] = '}';
    buf[len++] = '}';
    byte[] body = Arrays.copyOf(buf, len);
    if (buf.length > MAX_RETAINED_CAPACITY) {
      buf = new byte[INITIAL_CAPACITY];
    }
    return body;
  }

  private void entity(String id, String type, Optional<String> name, Metadata metadata) {
    raw(ENTITY_ID);
    string(id);
    raw(TYPE);
    string(type);
    if (name.isPresent()) {
      raw(NAME);
      string(name.get());
    }
    if (!metadata.isEmpty()) {
      raw(METADATA);
      metadata(metadata);
    }
    one('}');
  }

  private void metadata(Metadata metadata) {
    one('{');
    boolean first = true;
    for (Map.Entry<String, MetadataValue> e : metadata.values().entrySet()) {
      if (!first) {
        one(',');
      }
      first = false;
      string(e.getKey());
      one(':');
      MetadataValue v = e.getValue();
      if (v instanceof MetadataValue.StringValue s) {
        string(s.value());
      } else if (v instanceof MetadataValue.LongValue l) {
        room(20);
        len = NumberOutput.outputLong(l.value(), buf, len);
      } else if (v instanceof MetadataValue.DoubleValue d) {
        number(d.value());
      } else if (v instanceof MetadataValue.BooleanValue b) {
        raw(b.value() ? TRUE : FALSE);
      } else {
        throw new IllegalStateException("no JSON form for metadata value " + v.getClass());
      }
    }
    one('}');
  }

  private void number(double d) {
    String text = NumberOutput.toString(d, fastDoubles);
    if (nonFiniteAsStrings && NumberOutput.notFinite(d)) {
      string(text);
      return;
    }
    int n = text.length();
    room(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) text.charAt(i);
    }
  }

  private void occurredAt(Instant t) {
    if (!OccurredAtText.hasFourDigitYear(t)) {
      string(AuditEventJson.OCCURRED_AT.format(t));
      return;
    }
    room(OccurredAtText.FOUR_DIGIT_YEAR_LENGTH + 2);
    buf[len++] = '"';
    len = OccurredAtText.writeFourDigitYear(t, buf, len);
    buf[len++] = '"';
  }

  /** Writes {@code s} quoted and escaped. */
  // String.getBytes(int, int, byte[], int) is deprecated for dropping each char's high byte, which
  // is exactly right for the chars below 0x80 it is given here.
  @SuppressWarnings("deprecation")
  private void string(String s) {
    int n = s.length();
    room(n + 2);
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    // Most strings are plain ASCII throughout, one byte per char: find how far, then copy that far
    // at once (an array copy for a Latin-1 string), which is faster than copying char by char.
    int i = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        break;
      }
    }
    s.getBytes(0, i, b, p);
    len = p + i;
    if (i < n) {
      escapedRest(s, i);
      room(1);
    }
    buf[len++] = '"';
  }

  /** Writes {@code s} from {@code i} on, escaping and encoding each char. */
  private void escapedRest(String s, int i) {
    int n = s.length();
    while (i < n) {
      int end = Math.min(n, i + CHARS_PER_ROOM_CHECK);
      room(MAX_BYTES_PER_CHAR * (end - i));
      byte[] b = buf;
      int p = len;
      for (; i < end; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          byte escape = ESCAPES[c];
          if (escape == 0) {
            b[p++] = (byte) c;
          } else if (escape == 'u') {
            p = unicodeEscape(b, p, c);
          } else {
            b[p++] = '\\';
            b[p++] = escape;
          }
        } else if (c < 0x800) {
          b[p++] = (byte) (0xC0 | (c >> 6));
          b[p++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
          // As UTF8JsonGenerator does by default: each half escaped on its own, and an unpaired
          // one written the same way rather than rejected.
          p = unicodeEscape(b, p, c);
        } else {
          b[p++] = (byte) (0xE0 | (c >> 12));
          b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          b[p++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      len = p;
    }
  }

  private static int unicodeEscape(byte[] b, int p, char c) {
    b[p++] = '\\';
    b[p++] = 'u';
    b[p++] = HEX[(c >> 12) & 0xF];
    b[p++] = HEX[(c >> 8) & 0xF];
    b[p++] = HEX[(c >> 4) & 0xF];
    b[p++] = HEX[c & 0xF];
    return p;
  }

  private void raw(byte[] bytes) {
    room(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
  }

  private void one(char c) {
    room(1);
    buf[len++] = (byte) c;
  }

  /** Makes room for {@code more} bytes after {@code len}. */
  private void room(int more) {
    if (more > buf.length - len) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, Math.addExact(len, more)));
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
