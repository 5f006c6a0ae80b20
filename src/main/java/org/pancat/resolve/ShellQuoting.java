package org.pancat.resolve;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** POSIX shell quoting for the display form of a launch: every word reads back as itself. */
final class ShellQuoting {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private ShellQuoting() {}

  /** The word as is when it holds nothing a shell interprets, else single-quoted. */
  static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    // inside single quotes nothing is special but the quote itself: close, escape, reopen
    return "'" + word.replace("'", "'\\''") + "'";
  }

  static String join(List<String> argv) {
    return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
  }
}
