package org.pancat.kernel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One JSON form per document (sorted keys, no insignificant whitespace), so "the same document
 * again" is a string comparison, content ids are stable, and change-log bodies are reproducible.
 */
@ApplicationScoped
public class CanonicalJson {
  /** Change bodies are views: a document plus the fields around it (ids, times, actors). */
  private static final ObjectMapper VIEWS =
      JsonMapper.builder()
          .findAndAddModules()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .findAndAddModules()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private final ObjectMapper reader;

  public CanonicalJson(ObjectMapper mapper) {
    this.reader = mapper;
  }

  public String write(Object document) {
    return canonical(document);
  }

  /**
   * The canonical form of a value: records, maps and JSON trees alike with their keys sorted, so a
   * tree parsed from any node's output writes the same bytes again (what origin signatures cover).
   */
  private static String canonical(Object value) {
    try {
      return CANONICAL.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("document cannot be serialised", e);
    }
  }

  /** {@link #canonical} as UTF-8 bytes, as signed. */
  public static byte[] utf8(Object value) {
    return canonical(value).getBytes(StandardCharsets.UTF_8);
  }

  public <T> T read(String json, Class<T> type) {
    try {
      return reader.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored document cannot be read", e);
    }
  }

  /**
   * The document inside a view (a change body as another node sent it), ignoring the fields around
   * it.
   */
  public static <T> T documentOf(JsonNode view, Class<T> type) throws JsonProcessingException {
    return VIEWS.treeToValue(view, type);
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
