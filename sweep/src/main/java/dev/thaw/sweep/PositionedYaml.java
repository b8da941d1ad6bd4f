package dev.thaw.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.thaw.sweep.SweepLoader.Position;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * YAML text as a tree that remembers where every key and value starts, and the list of errors found
 * while reading it, each with its path. Paths are dotted keys with list indices ({@code
 * parameters.lr_head.values[0]}); the empty path is the file as a whole.
 */
final class PositionedYaml {
  private static final YAMLFactory YAML = new YAMLFactory();

  /** YAML 1.1/1.2 spellings of not-a-number and the infinities. */
  private static final Pattern NON_FINITE =
      Pattern.compile("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  final List<SweepError> errors = new ArrayList<>();
  final Map<String, Position> values = new HashMap<>();
  final Map<String, Position> keys = new HashMap<>();

  /** The tree of {@code yaml}; a null node for an empty file. A repeated key is an error. */
  JsonNode parse(String yaml) throws IOException {
    try (JsonParser p = YAML.createParser(yaml)) {
      if (p.nextToken() == null) {
        return F.nullNode();
      }
      return read(p, "");
    }
  }

  /** An error at {@code path}, placed later by its path. */
  void error(String path, String message) {
    errors.add(SweepError.at(path, message));
  }

  /** An error at the key {@code path}, placed where that key starts when it was read. */
  void errorAtKey(String path, String message) {
    Position at = keys.get(path);
    errors.add(
        new SweepError(
            path, message, at == null ? null : at.line(), at == null ? null : at.column()));
  }

  private JsonNode read(JsonParser p, String path) throws IOException {
    values.putIfAbsent(path, position(p.currentTokenLocation()));
    JsonToken token = p.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = F.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          String child = join(path, key);
          Position keyAt = position(p.currentTokenLocation());
          p.nextToken();
          JsonNode value = read(p, child);
          if (object.has(key)) {
            errors.add(
                new SweepError(child, "duplicate key '" + key + "'", keyAt.line(), keyAt.column()));
          } else {
            keys.put(child, keyAt);
          }
          object.set(key, value);
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = F.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(p, path + "[" + i++ + "]"));
        }
        return array;
      }
      case VALUE_STRING -> {
        return F.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? F.numberNode(p.getBigIntegerValue())
            : F.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        // YAML's .nan and .inf are floats Jackson cannot read as numbers; kept as the text they
        // are, the field that holds one says what it takes instead of a bare syntax error.
        String text = p.getText();
        return NON_FINITE.matcher(text).matches()
            ? F.textNode(text)
            : F.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return F.booleanNode(token == JsonToken.VALUE_TRUE);
      }
      default -> {
        return F.nullNode();
      }
    }
  }

  private static Position position(JsonLocation loc) {
    return new Position(loc.getLineNr(), loc.getColumnNr());
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String parent(String path) {
    int dot = path.lastIndexOf('.');
    int bracket = path.lastIndexOf('[');
    int cut = Math.max(dot, bracket);
    return cut < 0 ? "" : path.substring(0, cut);
  }
}
