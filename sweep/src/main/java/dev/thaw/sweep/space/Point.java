package dev.thaw.sweep.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** One configuration: a value per dimension, by dimension path. */
public record Point(Map<String, JsonNode> values) {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  public Point {
    values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** The value of a dimension, or null. */
  public JsonNode get(String name) {
    return values.get(name);
  }

  /** A numeric value as a double; throws naming the dimension if it is not a number. */
  public double number(String name) {
    JsonNode v = values.get(name);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException(name + " is not a number in " + this);
    }
    return v.doubleValue();
  }

  /** Sorted-key JSON of the values: the same text for the same configuration everywhere. */
  public String canonicalJson() {
    ObjectNode node = CANONICAL.createObjectNode();
    values.forEach(node::set);
    try {
      return CANONICAL.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The point written as {@code json} by {@link #canonicalJson()}, as a store keeps it.
   *
   * @throws IllegalStateException when the text is not a JSON object (a damaged store)
   */
  public static Point fromCanonicalJson(String json) {
    JsonNode node;
    try {
      node = CANONICAL.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stored params are not JSON: " + json, e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalStateException("stored params are not a JSON object: " + json);
    }
    Map<String, JsonNode> values = new TreeMap<>();
    object.properties().forEach(e -> values.put(e.getKey(), e.getValue()));
    return new Point(values);
  }

  /** SHA-256 of {@link #canonicalJson()}, hex. */
  public String hash() {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonicalJson().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return canonicalJson();
  }
}
