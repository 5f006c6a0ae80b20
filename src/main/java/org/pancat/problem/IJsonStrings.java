package org.pancat.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses strings that are not Unicode text (I-JSON, RFC 7493 section 2.1): a lone surrogate such
 * as {@code "\uD800"} is valid JSON syntax, but the node would store it and then serve it
 * differently to different clients (Java keeps it, UTF-8 writers replace it with {@code ?}), so a
 * signed feed entry and the row it came from would disagree. Applies to every string value, map key
 * and JSON tree a request body holds.
 */
final class IJsonStrings extends SimpleModule {
  IJsonStrings() {
    super("i-json-strings");
    addDeserializer(String.class, new Text());
    addKeyDeserializer(String.class, new Key());
    addDeserializer(JsonNode.class, new Tree());
  }

  private static final class Text extends StdScalarDeserializer<String> {
    Text() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return checked(StringDeserializer.instance.deserialize(p, ctxt), p, ctxt);
    }
  }

  private static final class Key extends KeyDeserializer {
    @Override
    public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
      return checked(key, ctxt.getParser(), ctxt);
    }
  }

  private static final class Tree extends JsonDeserializer<JsonNode> {
    @Override
    public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = JsonNodeDeserializer.getDeserializer(JsonNode.class).deserialize(p, ctxt);
      check(tree, p, ctxt);
      return tree;
    }

    /** An explicit {@code null} is a null node, as Jackson's own tree deserializer reads it. */
    @Override
    public JsonNode getNullValue(DeserializationContext ctxt) {
      return NullNode.getInstance();
    }

    /** An absent property is Java null, as with Jackson's own tree deserializer. */
    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }

    private static void check(JsonNode node, JsonParser p, DeserializationContext ctxt)
        throws IOException {
      if (node.isTextual()) {
        checked(node.textValue(), p, ctxt);
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        checked(field.getKey(), p, ctxt);
        check(field.getValue(), p, ctxt);
      }
      if (node.isArray()) {
        for (JsonNode element : node) {
          check(element, p, ctxt);
        }
      }
    }
  }

  private static String checked(String text, JsonParser p, DeserializationContext ctxt)
      throws IOException {
    if (text == null) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ctxt.weirdStringException(
            text.substring(0, Math.min(i, 40)),
            String.class,
            "holds a lone surrogate (\\u" + Integer.toHexString(c).toUpperCase() + "), not text");
      }
    }
    return text;
  }
}
