package io.auditpipe.cli.reconcile;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holds a range's expected events on disk, sorted into windows of one organization and a span of
 * {@code occurred_at}, so that reconcile keeps only one window in memory at a time.
 *
 * <p>Events are buffered in memory up to {@code bufferEvents} and then appended to one file per
 * organization × time slot ({@code window} long, aligned to the epoch). When reading is done, a
 * slot holding more than {@code maxWindowEvents} is split in halves by time, streaming through its
 * file, until every window holds at most that many — or spans a single millisecond, which cannot be
 * split (its events are then loaded all the same: the one case the bound does not hold).
 */
public final class ExpectedEventSpool implements AutoCloseable {

  private final Path dir;
  private final long windowMillis;
  private final int maxWindowEvents;
  private final int bufferEvents;
  private final Map<Slot, Spilled> slots = new TreeMap<>();
  private final Map<Slot, List<String>> buffer = new HashMap<>();
  private int buffered;
  private int peakBuffered;
  private int files;

  /**
   * @param dir a directory for the spill files, deleted with its content on {@link #close}
   * @param window the span of the initial windows
   * @param maxWindowEvents the most events a window is loaded with (split until it holds no more)
   * @param bufferEvents the most events held in memory before they are appended to their files
   */
  public ExpectedEventSpool(Path dir, Duration window, int maxWindowEvents, int bufferEvents) {
    if (window.toMillis() < 1 || maxWindowEvents < 1 || bufferEvents < 1) {
      throw new IllegalArgumentException(
          "expected a window of at least 1 ms and positive event bounds, found "
              + window
              + ", "
              + maxWindowEvents
              + ", "
              + bufferEvents);
    }
    this.dir = dir;
    this.windowMillis = window.toMillis();
    this.maxWindowEvents = maxWindowEvents;
    this.bufferEvents = bufferEvents;
  }

  /** An organization and a span [start, end) of epoch milliseconds; ordered by both. */
  private record Slot(String organizationId, long start, long end) implements Comparable<Slot> {
    private static final Comparator<Slot> ORDER =
        Comparator.comparing(Slot::organizationId)
            .thenComparingLong(Slot::start)
            .thenComparingLong(Slot::end);

    @Override
    public int compareTo(Slot o) {
      return ORDER.compare(this, o);
    }
  }

  private record Spilled(Path file, long events) {}

  /** Adds an expected event; appends the buffered events to their files when the buffer is full. */
  public void add(ExpectedEvent event) {
    long at = event.occurredAtInstant().toEpochMilli();
    long start = Math.floorDiv(at, windowMillis) * windowMillis;
    Slot slot = new Slot(event.organizationId(), start, start + windowMillis);
    buffer.computeIfAbsent(slot, s -> new ArrayList<>()).add(event.toJsonLine());
    buffered++;
    peakBuffered = Math.max(peakBuffered, buffered);
    if (buffered >= bufferEvents) {
      flush();
    }
  }

  private void flush() {
    for (Map.Entry<Slot, List<String>> e : buffer.entrySet()) {
      Spilled spilled = slots.get(e.getKey());
      Path file = spilled == null ? newFile() : spilled.file();
      append(file, e.getValue());
      slots.put(
          e.getKey(),
          new Spilled(file, (spilled == null ? 0 : spilled.events()) + e.getValue().size()));
    }
    buffer.clear();
    buffered = 0;
  }

  /**
   * The windows to export and match, in order of organization and time, each holding at most {@code
   * maxWindowEvents} unless it spans a single millisecond. Call once, after the last add.
   */
  public List<Window> windows() {
    flush();
    List<Window> windows = new ArrayList<>();
    for (Map.Entry<Slot, Spilled> e : slots.entrySet()) {
      split(e.getKey(), e.getValue(), windows);
    }
    return windows;
  }

  private void split(Slot slot, Spilled spilled, List<Window> windows) {
    if (spilled.events() == 0) {
      delete(spilled.file());
      return;
    }
    if (spilled.events() <= maxWindowEvents || slot.end() - slot.start() <= 1) {
      windows.add(
          new Window(
              slot.organizationId(),
              Instant.ofEpochMilli(slot.start()),
              Instant.ofEpochMilli(slot.end()),
              spilled.file(),
              spilled.events()));
      return;
    }
    long mid = slot.start() + (slot.end() - slot.start()) / 2;
    Path low = newFile();
    Path high = newFile();
    long lowEvents = 0;
    long highEvents = 0;
    try (BufferedReader in = Files.newBufferedReader(spilled.file(), StandardCharsets.UTF_8);
        BufferedWriter lo = Files.newBufferedWriter(low, StandardCharsets.UTF_8);
        BufferedWriter hi = Files.newBufferedWriter(high, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        long at = ExpectedEvent.fromJsonLine(line).occurredAtInstant().toEpochMilli();
        BufferedWriter to = at < mid ? lo : hi;
        to.write(line);
        to.newLine();
        if (at < mid) {
          lowEvents++;
        } else {
          highEvents++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    delete(spilled.file());
    split(new Slot(slot.organizationId(), slot.start(), mid), new Spilled(low, lowEvents), windows);
    split(new Slot(slot.organizationId(), mid, slot.end()), new Spilled(high, highEvents), windows);
  }

  /** The most events this spool held in memory at once. */
  public int peakBufferedEvents() {
    return peakBuffered;
  }

  private Path newFile() {
    try {
      Files.createDirectories(dir);
      return dir.resolve("expected-" + files++ + ".jsonl");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void append(Path file, List<String> lines) {
    try {
      Files.write(
          file,
          lines,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try (var files = Files.exists(dir) ? Files.list(dir) : java.util.stream.Stream.<Path>empty()) {
      files.forEach(ExpectedEventSpool::delete);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One organization's expected events in a span of time [start, end), spilled to {@code file}. */
  public record Window(String organizationId, Instant start, Instant end, Path file, long events) {

    /** The window's events, in the order they were added. */
    public List<ExpectedEvent> load() {
      List<ExpectedEvent> loaded = new ArrayList<>();
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          loaded.add(ExpectedEvent.fromJsonLine(line));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return loaded;
    }
  }
}
