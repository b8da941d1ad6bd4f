package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.task.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text folders and CSV tables: what they read, and the errors that name the bad file or column. */
class TextDataTest {
  @TempDir Path dir;

  private Path text(String path, String content) throws IOException {
    Path f = dir.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
    return f;
  }

  @Test
  void readsOneClassPerSubFolderInSortedOrder() throws IOException {
    text("pos/a.txt", "  good  ");
    text("pos/b.txt", "fine");
    text("neg/a.txt", "bad");
    text("neg/notes.md", "ignored");
    assertTrue(TextFolderDataset.holdsText(dir));
    LabelledTexts t = TextFolderDataset.load(dir);
    assertEquals(List.of("neg", "pos"), t.classNames());
    assertEquals(List.of("bad", "good", "fine"), t.texts());
    assertEquals(List.of(0, 1, 1), java.util.Arrays.stream(t.labels()).boxed().toList());
  }

  @Test
  void aClassWithNoTextsIsNamed() throws IOException {
    text("pos/a.txt", "good");
    Files.createDirectories(dir.resolve("neg"));
    var e = assertThrows(DatasetException.class, () -> TextFolderDataset.load(dir));
    assertTrue(e.getMessage().contains(dir.resolve("neg") + " has no .txt files"), e.getMessage());
  }

  @Test
  void anEmptyTextIsNamed() throws IOException {
    text("pos/a.txt", "good");
    Path empty = text("neg/blank.txt", " \n ");
    var e = assertThrows(DatasetException.class, () -> TextFolderDataset.load(dir));
    assertEquals(empty + " is empty", e.getMessage());
  }

  @Test
  void aFileThatIsNotUtf8IsNamed() throws IOException {
    text("pos/a.txt", "good");
    Path latin1 = dir.resolve("neg/caf.txt");
    Files.createDirectories(latin1.getParent());
    Files.write(latin1, new byte[] {'c', 'a', 'f', (byte) 0xe9});
    var e = assertThrows(DatasetException.class, () -> TextFolderDataset.load(dir));
    assertTrue(e.getMessage().startsWith(latin1 + " is not UTF-8 text"), e.getMessage());
  }

  @Test
  void csvReadsQuotedFieldsAndNamesAMissingColumn() {
    String csv = "label,text\npos,\"good, \"\"really\"\"\nyes\"\nneg,bad\n";
    LabelledTexts t = TextTable.read(csv, "t.csv", "text", "label");
    assertEquals(List.of("good, \"really\"\nyes", "bad"), t.texts());
    assertEquals(List.of("neg", "pos"), t.classNames());
    var e =
        assertThrows(DatasetException.class, () -> TextTable.read(csv, "t.csv", "body", "label"));
    assertEquals("t.csv has no column 'body'; its columns: label, text", e.getMessage());
    var empty =
        assertThrows(
            DatasetException.class,
            () -> TextTable.read("label,text\npos,\n", "t.csv", "text", "label"));
    assertEquals("t.csv line 2: column 'text' is empty", empty.getMessage());
  }

  @Test
  void tweetSentimentIsAKnownBuiltin() {
    assertEquals(
        new DatasetRef.BuiltinText("tweet-sentiment"), DatasetRef.parse("tweet-sentiment"));
    var e = assertThrows(DatasetException.class, () -> DatasetRef.parse("tweet-sentimen"));
    assertTrue(e.getMessage().contains("did you mean 'tweet-sentiment'?"), e.getMessage());
  }

  @Test
  void tablesAreNamedByFormatAndPath() {
    assertEquals(
        new DatasetRef.Table(DatasetRef.TableFormat.CSV, Path.of("/d/r.csv")),
        DatasetRef.parse("csv:/d/r.csv"));
    assertEquals(
        new DatasetRef.Table(DatasetRef.TableFormat.JSONL, Path.of("/d/r.jsonl")),
        DatasetRef.parse(" jsonl: /d/r.jsonl"));
    assertEquals("jsonl:/d/r.jsonl", DatasetRef.parse("jsonl:/d/r.jsonl").toString());
    var e = assertThrows(DatasetException.class, () -> DatasetRef.parse("csv:"));
    assertEquals(
        "dataset reference 'csv:' has no path; write csv:/path/to/texts.csv", e.getMessage());
  }

  @Test
  void jsonlReadsNamedKeysWithNumberLabelsAndNamesWhatIsWrong() throws IOException {
    Path f =
        text(
            "r.jsonl",
            "{\"body\": \" great \", \"stars\": 5}\n\n{\"body\": \"meh\", \"stars\": 2}\n");
    var table = new DatasetRef.Table(DatasetRef.TableFormat.JSONL, f);
    LabelledTexts t = TableDataset.load(table, "body", "stars");
    assertEquals(List.of("great", "meh"), t.texts());
    assertEquals(List.of("2", "5"), t.classNames());
    assertEquals(List.of(1, 0), java.util.Arrays.stream(t.labels()).boxed().toList());
    assertEquals(List.of(f + " line 1", f + " line 3"), t.sources());
    assertEquals(List.of("body", "stars"), TableDataset.columns(table));

    var missing =
        assertThrows(DatasetException.class, () -> TableDataset.load(table, "text", "stars"));
    assertEquals(
        f + " line 1 has no column 'text'; its columns: body, stars", missing.getMessage());
    Path bad = text("bad.jsonl", "{\"body\": \"ok\", \"stars\": 1}\n[1]\n");
    var notObject =
        assertThrows(
            DatasetException.class,
            () ->
                TableDataset.load(
                    new DatasetRef.Table(DatasetRef.TableFormat.JSONL, bad), "body", "stars"));
    assertEquals(bad + " line 2: not a JSON object", notObject.getMessage());
  }

  @Test
  void csvTableIsReadAsStrictUtf8WithItsColumns() throws IOException {
    Path f = text("r.csv", "stars,body\n5,great\n1,awful\n");
    var table = new DatasetRef.Table(DatasetRef.TableFormat.CSV, f);
    assertEquals(List.of("stars", "body"), TableDataset.columns(table));
    assertEquals(List.of("great", "awful"), TableDataset.load(table, "body", "stars").texts());
    Path latin1 = dir.resolve("l.csv");
    Files.write(latin1, new byte[] {'t', 'e', 'x', 't', ',', 'l', '\n', (byte) 0xe9, ',', 'a'});
    var e =
        assertThrows(
            DatasetException.class,
            () ->
                TableDataset.load(
                    new DatasetRef.Table(DatasetRef.TableFormat.CSV, latin1), "text", "l"));
    assertTrue(e.getMessage().startsWith(latin1 + " is not UTF-8 text"), e.getMessage());
  }
}
