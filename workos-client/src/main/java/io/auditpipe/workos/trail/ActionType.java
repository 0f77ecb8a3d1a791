package io.auditpipe.workos.trail;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Audit Trail's {@code action_type}: create, read, update or delete.
 *
 * <p>{@link #derive(String)} reads it from the verb an action ends with, the convention WorkOS's
 * own examples follow ({@code user.created}, {@code document.updated}): the part after the last
 * {@code .}, or else its last {@code _}-separated word, is looked up in fixed word lists. An action
 * whose verb is in none of them (e.g. {@code user.signed_in}, {@code report.exported}) is a read.
 */
public enum ActionType {
  C,
  R,
  U,
  D;

  private static final Set<String> CREATE =
      Set.of(
          "created",
          "create",
          "added",
          "add",
          "inserted",
          "insert",
          "registered",
          "signed_up",
          "invited",
          "uploaded",
          "issued",
          "generated",
          "provisioned",
          "imported",
          "copied",
          "duplicated",
          "opened");
  private static final Set<String> UPDATE =
      Set.of(
          "updated",
          "update",
          "changed",
          "change",
          "modified",
          "edited",
          "renamed",
          "enabled",
          "disabled",
          "moved",
          "assigned",
          "unassigned",
          "granted",
          "reset",
          "replaced",
          "patched",
          "set",
          "activated",
          "deactivated",
          "suspended",
          "restored",
          "approved",
          "rejected",
          "confirmed",
          "verified",
          "closed",
          "paid",
          "shipped",
          "cancelled",
          "canceled",
          "rotated");
  private static final Set<String> DELETE =
      Set.of(
          "deleted",
          "delete",
          "removed",
          "remove",
          "destroyed",
          "destroy",
          "revoked",
          "purged",
          "erased",
          "deprovisioned");

  /** The type an action's verb implies; {@link #R} when the verb is not a known write. */
  public static ActionType derive(String action) {
    String a = action.toLowerCase(Locale.ROOT);
    String last = a.substring(a.lastIndexOf('.') + 1);
    Optional<ActionType> t = lookup(last);
    if (t.isEmpty() && last.indexOf('_') >= 0) {
      t = lookup(last.substring(last.lastIndexOf('_') + 1));
    }
    return t.orElse(R);
  }

  /** Parses {@code C}, {@code R}, {@code U} or {@code D}, in either case. */
  public static Optional<ActionType> parse(String value) {
    return switch (value.strip().toUpperCase(Locale.ROOT)) {
      case "C" -> Optional.of(C);
      case "R" -> Optional.of(R);
      case "U" -> Optional.of(U);
      case "D" -> Optional.of(D);
      default -> Optional.empty();
    };
  }

  private static Optional<ActionType> lookup(String verb) {
    if (CREATE.contains(verb)) {
      return Optional.of(C);
    }
    if (UPDATE.contains(verb)) {
      return Optional.of(U);
    }
    if (DELETE.contains(verb)) {
      return Optional.of(D);
    }
    return Optional.empty();
  }
}
