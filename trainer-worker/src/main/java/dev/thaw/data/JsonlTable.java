package dev.thaw.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.task.DatasetException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Labelled texts from JSON Lines: one object per line, the text and the label under named keys (a
 * label may be a string or a number). Blank lines are skipped. Classes are the distinct labels in
 * sorted order, as for {@link TextTable}.
 */
final class JsonlTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonlTable() {}

  /**
   * @param where the file, for messages
   * @throws DatasetException naming the line that is not an object, lacks a key (listing its keys)
   *     or has an empty text
   */
  static LabelledTexts read(String jsonl, String where, String textColumn, String labelColumn) {
    List<String> texts = new ArrayList<>();
    List<String> labelNames = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    String[] lines = jsonl.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String at = where + " line " + (i + 1);
      JsonNode row = object(lines[i], at);
      String text = field(row, textColumn, at).strip();
      if (text.isEmpty()) {
        throw new DatasetException(at + ": column '" + textColumn + "' is empty");
      }
      texts.add(text);
      labelNames.add(field(row, labelColumn, at).strip());
      sources.add(at);
    }
    if (texts.isEmpty()) {
      throw new DatasetException(where + " is empty");
    }
    List<String> classes = new ArrayList<>(new TreeSet<>(labelNames));
    int[] labels = labelNames.stream().mapToInt(classes::indexOf).toArray();
    return new LabelledTexts(texts, labels, classes, sources);
  }

  /** The keys of the first object, in order: a JSON Lines file's columns. */
  static List<String> columns(String jsonl, String where) {
    String[] lines = jsonl.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        List<String> keys = new ArrayList<>();
        object(lines[i], where + " line " + (i + 1)).fieldNames().forEachRemaining(keys::add);
        return keys;
      }
    }
    throw new DatasetException(where + " is empty");
  }

  private static JsonNode object(String line, String at) {
    try {
      JsonNode node = JSON.readTree(line);
      if (node == null || !node.isObject()) {
        throw new DatasetException(at + ": not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new DatasetException(at + ": not JSON (" + e.getOriginalMessage() + ")", e);
    }
  }

  private static String field(JsonNode row, String key, String at) {
    JsonNode v = row.get(key);
    if (v == null || !v.isValueNode() || v.isNull()) {
      List<String> keys = new ArrayList<>();
      row.fieldNames().forEachRemaining(keys::add);
      throw new DatasetException(
          at
              + (v == null ? " has no column '" : ": column '")
              + key
              + (v == null ? "'" : "' is not a string or number")
              + "; its columns: "
              + String.join(", ", keys));
    }
    return v.asText();
  }
}
