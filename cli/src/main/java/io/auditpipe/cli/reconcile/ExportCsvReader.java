package io.auditpipe.cli.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
   * Hands each row of {@code csv} to {@code rows}.
   *
   * @throws IllegalArgumentException naming the missing column or the bad cell
   */
  public static void read(String csv, String exportId, Consumer<ExportRow> rows) {
    try {
      read(new StringReader(csv), exportId, rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Hands each row to {@code rows} as it is read: only one row is held at a time, so an export of
   * any size streams through.
   *
   * @throws IllegalArgumentException naming the missing column or the bad cell
   */
  public static void read(Reader csv, String exportId, Consumer<ExportRow> rows)
      throws IOException {
    CsvRecords records =
        new CsvRecords(csv instanceof BufferedReader b ? b : new BufferedReader(csv));
    Optional<List<String>> first = records.next();
    if (first.isEmpty()) {
      return;
    }
    Map<String, Integer> columns = new HashMap<>();
    List<String> header = first.get();
    for (int i = 0; i < header.size(); i++) {
      columns.put(header.get(i).strip(), i);
    }
    for (String required : REQUIRED) {
      if (!columns.containsKey(required)) {
        throw new IllegalArgumentException(
            "export " + exportId + ": expected a column \"" + required + "\", found " + header);
      }
    }
    int line = 1;
    for (Optional<List<String>> next = records.next(); next.isPresent(); next = records.next()) {
      line++;
      List<String> row = next.get();
      if (row.size() == 1 && row.get(0).isEmpty()) {
        continue;
      }
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

  /** The CSV's records, each a list of cells, one at a time (RFC 4180). */
  private static final class CsvRecords {
    private final BufferedReader in;
    private boolean done;

    CsvRecords(BufferedReader in) {
      this.in = in;
    }

    Optional<List<String>> next() throws IOException {
      if (done) {
        return Optional.empty();
      }
      List<String> row = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      boolean any = false;
      while (true) {
        int c = in.read();
        if (c < 0) {
          done = true;
          if (cell.length() > 0 || !row.isEmpty() || any) {
            row.add(cell.toString());
            return Optional.of(row);
          }
          return Optional.empty();
        }
        any = true;
        if (quoted) {
          if (c == '"') {
            in.mark(1);
            if (in.read() == '"') {
              cell.append('"');
            } else {
              in.reset();
              quoted = false;
            }
          } else {
            cell.append((char) c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          row.add(cell.toString());
          cell.setLength(0);
        } else if (c == '\r' || c == '\n') {
          if (c == '\r') {
            in.mark(1);
            if (in.read() != '\n') {
              in.reset();
            }
          }
          row.add(cell.toString());
          return Optional.of(row);
        } else {
          cell.append((char) c);
        }
      }
    }
  }
}
