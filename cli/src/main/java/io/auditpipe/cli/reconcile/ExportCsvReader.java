package io.auditpipe.cli.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads an export CSV (RFC 4180: quoted cells may hold commas, quotes and line breaks) by its
 * header line's column names: {@code id, occurred_at, action, actor_id, actor_type, actor_name,
 * targets, metadata}; other columns are ignored.
 */
public final class ExportCsvReader {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final List<String> REQUIRED =
      List.of("occurred_at", "action", "actor_id", "actor_type", "targets", "metadata");

  private ExportCsvReader() {}

  /**
   * Hands each row to {@code rows}.
   *
   * @throws IllegalArgumentException naming the missing column or the bad cell
   */
  public static void read(String csv, String exportId, Consumer<ExportRow> rows) {
    List<List<String>> records = parse(csv);
    if (records.isEmpty()) {
      return;
    }
    Map<String, Integer> columns = new HashMap<>();
    List<String> header = records.get(0);
    for (int i = 0; i < header.size(); i++) {
      columns.put(header.get(i).strip(), i);
    }
    for (String required : REQUIRED) {
      if (!columns.containsKey(required)) {
        throw new IllegalArgumentException(
            "export " + exportId + ": expected a column \"" + required + "\", found " + header);
      }
    }
    for (int r = 1; r < records.size(); r++) {
      List<String> row = records.get(r);
      if (row.size() == 1 && row.get(0).isEmpty()) {
        continue;
      }
      int line = r + 1;
      rows.accept(
          new ExportRow(
              cell(row, columns, "id"),
              cell(row, columns, "occurred_at"),
              cell(row, columns, "action"),
              cell(row, columns, "actor_id"),
              cell(row, columns, "actor_type"),
              cell(row, columns, "actor_name"),
              json(cell(row, columns, "targets"), exportId, line, "targets"),
              json(cell(row, columns, "metadata"), exportId, line, "metadata")));
    }
  }

  private static String cell(List<String> row, Map<String, Integer> columns, String name) {
    Integer i = columns.get(name);
    return i == null || i >= row.size() ? "" : row.get(i);
  }

  private static JsonNode json(String cell, String exportId, int line, String column) {
    if (cell.isEmpty()) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(cell);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "export "
              + exportId
              + " row "
              + line
              + ": expected JSON in column \""
              + column
              + "\", found malformed JSON");
    }
  }

  /** The CSV's records, each a list of cells. */
  static List<List<String>> parse(String csv) {
    List<List<String>> records = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    int n = csv.length();
    for (int i = 0; i < n; i++) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && csv.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < n && csv.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(cell.toString());
        cell.setLength(0);
        records.add(row);
        row = new ArrayList<>();
      } else {
        cell.append(c);
      }
    }
    if (cell.length() > 0 || !row.isEmpty()) {
      row.add(cell.toString());
      records.add(row);
    }
    return records;
  }
}
