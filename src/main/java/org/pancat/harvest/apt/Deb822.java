package org.pancat.harvest.apt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 822-style control paragraphs (deb822): "Field: value" lines, continuation lines starting with
 * a space or tab, paragraphs separated by blank lines. Field names are case-insensitive.
 */
final class Deb822 {
  /**
   * One paragraph: its fields (value lines joined with "\n", continuation lines as sent, without
   * the line's first blank) and the line it starts on.
   */
  record Paragraph(int line, Map<String, String> fields) {
    String get(String name) {
      return fields.get(name);
    }

    /** A single-line field: the value with continuation lines folded, or null. */
    String simple(String name) {
      String value = fields.get(name);
      return value == null ? null : value.replace('\n', ' ').strip();
    }
  }

  private Deb822() {}

  /**
   * @param what names the file in reasons
   */
  static List<Paragraph> parse(String text, String what) throws AptRefused {
    List<Paragraph> paragraphs = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    Map<String, String> fields = null;
    int start = 0;
    String current = null;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      int number = i + 1;
      if (line.isBlank()) {
        if (fields != null) {
          paragraphs.add(new Paragraph(start, fields));
          fields = null;
          current = null;
        }
        continue;
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (current == null) {
          throw new AptRefused(what + " has a continuation line without a field on line " + number);
        }
        fields.put(current, fields.get(current) + "\n" + line.substring(1));
        continue;
      }
      if (line.charAt(0) == '#') {
        throw new AptRefused(what + " has a comment line on line " + number);
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !fieldName(line.substring(0, colon))) {
        throw new AptRefused(what + " has a malformed field on line " + number);
      }
      String name = line.substring(0, colon);
      if (fields == null) {
        fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        start = number;
      }
      if (fields.containsKey(name)) {
        throw new AptRefused(what + " repeats a field of its paragraph on line " + number);
      }
      fields.put(name, line.substring(colon + 1).strip());
      current = name;
    }
    if (fields != null) {
      paragraphs.add(new Paragraph(start, fields));
    }
    return paragraphs;
  }

  private static boolean fieldName(String name) {
    if (name.isEmpty() || name.charAt(0) == '-') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 32 || c >= 127) {
        return false;
      }
    }
    return true;
  }
}
