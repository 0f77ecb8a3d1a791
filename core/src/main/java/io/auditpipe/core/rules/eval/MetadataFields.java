package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.model.AuditEventJson;
import io.auditpipe.core.model.Metadata;
import io.auditpipe.core.model.MetadataValue;
import io.auditpipe.core.model.WorkOsLimits;
import java.util.Arrays;
import java.util.List;

/** A metadata object: fixed keys (checked at compile time) mapped to values. */
public final class MetadataFields {

  private final String rule;
  private final String[] keys;
  private final String[] locations;
  private final Value[] values;
  private final boolean[] optional;
  private final boolean truncate;

  /** One entry of a metadata object. */
  public record Entry(String key, String location, Value value, boolean optional) {}

  public MetadataFields(String rule, List<Entry> entries, Policies.MetadataTooLong tooLong) {
    this.rule = rule;
    int n = entries.size();
    this.keys = new String[n];
    this.locations = new String[n];
    this.values = new Value[n];
    this.optional = new boolean[n];
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      keys[i] = e.key();
      locations[i] = e.location();
      values[i] = e.value();
      optional[i] = e.optional();
    }
    this.truncate = tooLong == Policies.MetadataTooLong.TRUNCATE;
  }

  public static MetadataFields empty(String rule) {
    return new MetadataFields(rule, List.of(), Policies.MetadataTooLong.REJECT);
  }

  public Metadata eval(Scope scope) {
    if (keys.length == 0) {
      return Metadata.empty();
    }
    MetadataValue[] out = new MetadataValue[keys.length];
    String[] present = keys;
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      scope.at(rule, locations[i]);
      JsonNode node = values[i].eval(scope);
      if (node == null) {
        if (!optional[i]) {
          scope.fail(scope.missingReason());
        }
      } else if (!Scope.failed(node)) {
        MetadataValue value = convert(scope, node);
        if (value != null) {
          if (present == keys && n < i) {
            // An entry was left out: from here on the keys no longer line up with their indexes.
            present = Arrays.copyOf(keys, keys.length);
          }
          if (present != keys) {
            present[n] = keys[i];
          }
          out[n++] = value;
        }
      }
    }
    return Metadata.of(present, out, n);
  }

  private MetadataValue convert(Scope scope, JsonNode node) {
    if (node.isTextual()) {
      String s = node.textValue();
      if (truncate && s.length() > WorkOsLimits.MAX_METADATA_STRING_LENGTH) {
        int end = WorkOsLimits.MAX_METADATA_STRING_LENGTH;
        // Never split a surrogate pair: WorkOS would see half a character.
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
          end--;
        }
        s = s.substring(0, end);
      }
      return MetadataValue.of(s);
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return MetadataValue.of(node.longValue());
    }
    if (node.isNumber()) {
      return MetadataValue.of(node.doubleValue());
    }
    if (node.isBoolean()) {
      return MetadataValue.of(node.booleanValue());
    }
    scope.fail("expected a string, number or boolean, found " + AuditEventJson.kind(node));
    return null;
  }
}
