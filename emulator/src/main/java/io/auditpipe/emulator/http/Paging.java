package io.auditpipe.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * WorkOS list paging: {@code limit} (1–100, default 10), {@code order} ({@code asc}, {@code desc}
 * or {@code normal}; default {@code desc}; {@code normal} is treated as {@code desc}), and cursors
 * {@code before}/{@code after} naming an item's id.
 */
final class Paging {

  private Paging() {}

  static <T> ObjectNode page(
      Exchange ex,
      List<T> oldestFirst,
      Function<T, String> cursor,
      Function<T, JsonNode> render,
      String metadataField) {
    int limit = 10;
    String l = ex.param("limit").orElse(null);
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 100) {
        throw new ApiException(
            Json.error(422, "invalid_limit", "limit: expected 1 to 100, found '" + l + "'"));
      }
    }
    String order = ex.param("order").orElse("desc").toLowerCase(Locale.ROOT);
    if (!order.equals("asc") && !order.equals("desc") && !order.equals("normal")) {
      throw new ApiException(
          Json.error(
              422, "invalid_order", "order: expected asc, desc or normal, found '" + order + "'"));
    }
    List<T> items = new ArrayList<>(oldestFirst);
    if (!order.equals("asc")) {
      Collections.reverse(items);
    }
    int from = 0;
    int to = items.size();
    String after = ex.param("after").orElse(null);
    String before = ex.param("before").orElse(null);
    if (after != null) {
      from = indexOf(items, cursor, after) + 1;
      to = Math.min(items.size(), from + limit);
    } else if (before != null) {
      to = Math.max(0, indexOf(items, cursor, before));
      from = Math.max(0, to - limit);
    } else {
      to = Math.min(items.size(), limit);
    }
    ObjectNode n = Json.object();
    n.put("object", "list");
    ArrayNode data = n.putArray("data");
    for (int i = from; i < to; i++) {
      data.add(render.apply(items.get(i)));
    }
    ObjectNode meta = n.putObject(metadataField);
    if (from > 0 && from < items.size()) {
      meta.put("before", cursor.apply(items.get(from)));
    } else {
      meta.putNull("before");
    }
    if (to < items.size() && to > 0) {
      meta.put("after", cursor.apply(items.get(to - 1)));
    } else {
      meta.putNull("after");
    }
    return n;
  }

  private static <T> int indexOf(List<T> items, Function<T, String> cursor, String id) {
    for (int i = 0; i < items.size(); i++) {
      if (cursor.apply(items.get(i)).equals(id)) {
        return i;
      }
    }
    return items.size();
  }
}
