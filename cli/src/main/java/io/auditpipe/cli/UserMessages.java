package io.auditpipe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.auditpipe.core.json.JsonProblems;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Pattern;

/**
 * Words for a person instead of an exception: {@code my-rules.json: no such file}, not {@code
 * NoSuchFileException my-rules.json}. Messages never carry Java class names.
 */
public final class UserMessages {

  /** Options whose names libraries use in their own messages, and the CLI option for each. */
  private static final String[][] RENAMED = {
    {"baseUrl: ", "--workos-url: "},
    {"when insecure HTTP is explicitly allowed", "with --allow-insecure-http"},
  };

  private static final Pattern JAVA_NAME =
      Pattern.compile(
          "\\(?\\b(?:java|javax|com|org|io|sun|jdk)\\.[a-z0-9_.]*[A-Z]\\w*(?::\\s?)?\\)?");

  private UserMessages() {}

  /** What went wrong, in one line without class names. */
  public static String describe(Throwable e) {
    if (e instanceof NoSuchFileException f) {
      return f.getFile() + ": no such file";
    }
    if (e instanceof AccessDeniedException f) {
      return f.getFile() + ": permission denied";
    }
    if (e instanceof NotDirectoryException f) {
      return f.getFile() + ": not a directory";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + ": already exists";
    }
    if (e instanceof DirectoryNotEmptyException f) {
      return f.getFile() + ": a directory that is not empty";
    }
    if (e instanceof FileSystemException f) {
      return f.getFile() + ": " + (f.getReason() == null ? "cannot be used" : f.getReason());
    }
    if (e instanceof CharacterCodingException) {
      return "expected UTF-8 text, found bytes that are not";
    }
    if (e instanceof JsonProcessingException j) {
      return "not valid JSON: " + JsonProblems.describe(j);
    }
    return clean(e.getMessage() == null ? "" : e.getMessage());
  }

  /** {@code message} with library option names made CLI option names and class names removed. */
  public static String clean(String message) {
    String m = message.lines().findFirst().orElse("");
    for (String[] renamed : RENAMED) {
      m = m.replace(renamed[0], renamed[1]);
    }
    m = JAVA_NAME.matcher(m).replaceAll("").replaceAll("\\s{2,}", " ").strip();
    return m.isEmpty() ? "unexpected error" : m;
  }
}
