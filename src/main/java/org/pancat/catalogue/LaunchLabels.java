package org.pancat.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code pancat.launch.*} labels of an artifact, read strictly: how a portal should run it.
 * They come from publishers (and, through federation, from other nodes), so they are only ever
 * data: an environment variable name must be a POSIX name, no value may hold a control character,
 * ports are numbers. The catalogue refuses an artifact whose labels fail here; resolve reads them
 * again, because an imported artifact was only checked by its origin.
 *
 * <ul>
 *   <li>{@code pancat.launch.ports}: ports the application listens on, comma or space separated;
 *   <li>{@code pancat.launch.env.<NAME>}: an environment variable for the container;
 *   <li>{@code pancat.launch.entrypoint}: arguments after the image, a JSON array of strings or
 *       words separated by spaces (no quoting: use the array form for arguments with spaces).
 * </ul>
 */
public record LaunchLabels(List<Integer> ports, Map<String, String> env, List<String> entrypoint) {
  public static final String PREFIX = "pancat.launch.";
  public static final String PORTS = PREFIX + "ports";
  public static final String ENV = PREFIX + "env.";
  public static final String ENTRYPOINT = PREFIX + "entrypoint";

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  /**
   * Control and format characters, Unicode's too: C0 and C1 controls (terminal escapes),
   * bidirectional overrides and line separators, which would make the line people read differ from
   * what runs.
   */
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}\\u2028\\u2029]");

  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A directory of the host bound into the container. */
  public record Mount(String source, String target, boolean readOnly) {
    public static Mount readOnly(String path) {
      return new Mount(path, path, true);
    }

    /** {@code source:target[:ro]}, as Docker's {@code -v} and Apptainer's {@code --bind} take. */
    public String bindSpec() {
      return source + ":" + target + (readOnly ? ":ro" : "");
    }
  }

  /** A label this node will not hand to a portal, and why. */
  public static final class Refused extends Exception {
    private final String label;
    private final String reason;

    Refused(String label, String reason) {
      super(label + ": " + reason, null, false, false);
      this.label = label;
      this.reason = reason;
    }

    public String label() {
      return label;
    }

    public String reason() {
      return reason;
    }
  }

  /** Reads every label (launch labels strictly); refuses the first that cannot be data. */
  public static LaunchLabels read(Map<String, String> labels) throws Refused {
    List<Integer> ports = List.of();
    Map<String, String> env = new TreeMap<>();
    List<String> entrypoint = List.of();
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      String key = label.getKey();
      String value = label.getValue() == null ? "" : label.getValue();
      if (CONTROL.matcher(key).find() || key.isBlank() || !key.strip().equals(key)) {
        throw new Refused(
            printable(key), "a label name must not hold spaces or control characters");
      }
      if (CONTROL.matcher(value).find()) {
        throw new Refused(key, "the value holds a control character (newline, tab, escape, ...)");
      }
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      if (key.equals(PORTS)) {
        ports = ports(key, value);
      } else if (key.startsWith(ENV)) {
        String name = key.substring(ENV.length());
        if (!ENV_NAME.matcher(name).matches()) {
          throw new Refused(
              key, "'" + name + "' is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        }
        env.put(name, value);
      } else if (key.equals(ENTRYPOINT)) {
        entrypoint = entrypoint(key, value);
      } else {
        throw new Refused(
            key,
            "unknown launch label (known: " + PORTS + ", " + ENV + "<NAME>, " + ENTRYPOINT + ")");
      }
    }
    return new LaunchLabels(
        ports, Collections.unmodifiableMap(new LinkedHashMap<>(env)), entrypoint);
  }

  private static List<Integer> ports(String key, String value) throws Refused {
    List<Integer> ports = new ArrayList<>();
    for (String p : value.strip().split("[,\\s]+")) {
      if (p.isEmpty()) {
        continue;
      }
      if (!PORT.matcher(p).matches() || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
        throw new Refused(key, "'" + p + "' is not a port number (1-65535)");
      }
      ports.add(Integer.parseInt(p));
    }
    return ports.stream().distinct().toList();
  }

  private static List<String> entrypoint(String key, String value) throws Refused {
    String text = value.strip();
    if (!text.startsWith("[")) {
      return text.isEmpty() ? List.of() : List.of(text.split(" +"));
    }
    JsonNode array;
    try {
      array = JSON.readTree(text);
    } catch (IOException e) {
      throw new Refused(key, "starts with [ but is not a JSON array of strings");
    }
    List<String> words = new ArrayList<>();
    for (JsonNode word : array) {
      if (!word.isTextual()) {
        throw new Refused(key, "starts with [ but is not a JSON array of strings");
      }
      if (CONTROL.matcher(word.asText()).find()) {
        throw new Refused(key, "an argument holds a control character");
      }
      words.add(word.asText());
    }
    return List.copyOf(words);
  }

  private static String printable(String key) {
    return CONTROL.matcher(key).replaceAll("?");
  }
}
