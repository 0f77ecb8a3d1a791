package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.emulator.state.Organization;
import io.auditpipe.emulator.state.OrganizationDirectory;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Organizations by id and by external id, and their audit-log retention. */
final class OrganizationsEndpoint {

  /** The periods Node SDK 11 sends, answered in days. */
  private static final Map<String, Integer> PERIODS = periods();

  private final OrganizationDirectory directory;

  OrganizationsEndpoint(OrganizationDirectory directory) {
    this.directory = directory;
  }

  private static Map<String, Integer> periods() {
    Map<String, Integer> m = new java.util.HashMap<>();
    m.put("1_MONTH", 30);
    for (int i = 2; i <= 11; i++) {
      m.put(i + "_MONTHS", 30 * i);
    }
    m.put("1_YEAR", 365);
    for (int i = 2; i <= 10; i++) {
      m.put(i + "_YEARS", 365 * i);
    }
    return Map.copyOf(m);
  }

  ApiResponse byId(String id) {
    return directory
        .byId(id)
        .map(o -> ApiResponse.json(200, render(o)))
        .orElseGet(() -> Json.notFound("Organization not found: '" + id + "'."));
  }

  ApiResponse byExternalId(String externalId) {
    return directory
        .byExternalId(externalId)
        .map(o -> ApiResponse.json(200, render(o)))
        .orElseGet(
            () -> Json.notFound("Organization not found with external ID: '" + externalId + "'."));
  }

  ApiResponse retention(String id) {
    if (!directory.exists(id)) {
      return Json.organizationNotFound(id);
    }
    return retentionBody(directory.retentionDays(id));
  }

  ApiResponse updateRetention(String id, JsonNode body) {
    if (!directory.exists(id)) {
      return Json.organizationNotFound(id);
    }
    JsonNode days = body.get("retention_period_in_days");
    JsonNode period = body.get("retention_period");
    int value;
    if (days != null && !days.isNull()) {
      if (!days.canConvertToInt() || (days.asInt() != 30 && days.asInt() != 365)) {
        return invalid("retention_period_in_days", "must be 30 or 365");
      }
      value = days.asInt();
    } else if (period != null && period.isTextual() && PERIODS.containsKey(period.asText())) {
      value = PERIODS.get(period.asText());
    } else if (period != null && !period.isNull()) {
      return invalid("retention_period", "must be one of 1_MONTH…11_MONTHS, 1_YEAR…10_YEARS");
    } else {
      return invalid("retention_period_in_days", "is required");
    }
    directory.retentionDays(id, value);
    return retentionBody(OptionalInt.of(value));
  }

  private static ApiResponse invalid(String field, String message) {
    ObjectNode n = Json.object();
    n.put("message", "Validation failed.");
    n.putArray("errors")
        .addObject()
        .put("code", "invalid_value")
        .put("field", field)
        .put("message", field + " " + message);
    return ApiResponse.json(422, n);
  }

  private static ApiResponse retentionBody(OptionalInt days) {
    ObjectNode n = Json.object();
    if (days.isPresent()) {
      n.put("retention_period_in_days", days.getAsInt());
    } else {
      n.putNull("retention_period_in_days");
    }
    return ApiResponse.json(200, n);
  }

  static ObjectNode render(Organization o) {
    ObjectNode n = Json.object();
    n.put("object", "organization");
    n.put("id", o.id());
    n.put("name", o.name());
    Optional<String> ext = o.externalId();
    if (ext.isPresent()) {
      n.put("external_id", ext.get());
    } else {
      n.putNull("external_id");
    }
    n.put("allow_profiles_outside_organization", false);
    n.putArray("domains");
    n.putObject("metadata");
    n.put("created_at", o.createdAt().toString());
    n.put("updated_at", o.createdAt().toString());
    return n;
  }
}
