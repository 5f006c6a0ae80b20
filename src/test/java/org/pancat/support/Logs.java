package org.pancat.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The end of a server's log, for the message of a fixture that failed to start. */
final class Logs {
  private Logs() {}

  static String tail(Path log, int characters) {
    try {
      String text = Files.readString(log);
      return text.length() > characters ? text.substring(text.length() - characters) : text;
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
