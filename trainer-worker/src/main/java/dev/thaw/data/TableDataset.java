package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A user's labelled texts in one table file ({@link DatasetRef.Table}): CSV with a header row
 * ({@link TextTable}) or JSON Lines ({@link JsonlTable}), strict UTF-8, the text and the label in
 * named columns.
 */
public final class TableDataset {
  private TableDataset() {}

  /**
   * Reads the table.
   *
   * @throws DatasetException naming the file, and the line or missing column
   */
  public static LabelledTexts load(DatasetRef.Table table, String textColumn, String labelColumn) {
    String content = read(table.file());
    String where = table.file().toString();
    return switch (table.format()) {
      case CSV -> TextTable.read(content, where, textColumn, labelColumn);
      case JSONL -> JsonlTable.read(content, where, textColumn, labelColumn);
    };
  }

  /**
   * The table's columns: a CSV file's header, the keys of a JSON Lines file's first object.
   *
   * @throws DatasetException when the file cannot be read
   */
  public static List<String> columns(DatasetRef.Table table) {
    String content = read(table.file());
    String where = table.file().toString();
    return switch (table.format()) {
      case CSV -> {
        List<CsvRows.Row> rows = CsvRows.parse(content);
        if (rows.isEmpty()) {
          throw new DatasetException(where + " is empty");
        }
        yield rows.get(0).fields();
      }
      case JSONL -> JsonlTable.columns(content, where);
    };
  }

  private static String read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException("table file " + file + " does not exist");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DatasetException(file + " is not UTF-8 text (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
