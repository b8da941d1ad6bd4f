package dev.thaw.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.inputs.InputPolicy;
import dev.thaw.model.SourceModelGroupCount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Table-driven: a valid sweep, one change, exactly one expected error. */
class SweepValidatorTest {

  /** Valid; {@code scratch:thaw-cnn} has 4 layer groups and needs no files. */
  static final String VALID =
      """
      name: base
      objective:
        metric: val_accuracy
      method: random
      max_trials: 10
      parameters:
        freeze_depth: {values: [0, 2, all]}
        lr_head: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}
        lr_backbone: {slice: [1.0e-5, 1.0e-3]}
        dropout:
          distribution: q_uniform
          min: 0.0
          max: 0.5
          q: 0.1
        batch_size: {values: [16, 32]}
        epochs: {value: 3}
      early_stopping:
        monitor: val_loss
        patience: 2
      early_termination:
        type: asha
        reduction_factor: 3
      schedule:
        cron: "0 0 2 * * ?"
        time_zone: Europe/Berlin
      task:
        source_model: scratch:thaw-cnn
        target:
          dataset: mnist
          labels_per_class: 50
      """;

  private static final SweepValidator VALIDATOR =
      new SweepValidator(SourceModelGroupCount.anywhere());

  /** Applies (from, to) replacements, each of which must match. */
  static String change(String... fromTo) {
    String text = VALID;
    for (int i = 0; i < fromTo.length; i += 2) {
      if (!text.contains(fromTo[i])) {
        throw new IllegalArgumentException("not in the valid sweep: " + fromTo[i]);
      }
      text = text.replace(fromTo[i], fromTo[i + 1]);
    }
    return text;
  }

  static Arguments row(String path, String fragment, String... fromTo) {
    return Arguments.of(path, fragment, change(fromTo));
  }

  static Stream<Arguments> oneChangeOneError() {
    return Stream.of(
        row(
            "parameters.dropout.max",
            "must be > min (got 0.1 <= 0.5)",
            "min: 0.0\n    max: 0.5",
            "min: 0.5\n    max: 0.1"),
        row("parameters.lr_head.min", "log_uniform needs min > 0 (got 0)", "min: 1.0e-4", "min: 0"),
        row("parameters.batch_size.values", "must not be empty", "[16, 32]", "[]"),
        row(
            "parameters.lr_head.log_uniform",
            "written 'distribution: log_uniform' beside its bounds",
            "{distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}",
            "{log_uniform: {min: 1.0e-4, max: 1.0e-2}}"),
        row(
            "parameters.lr_head.value", "must be a positive learning rate (got 0)",
            "{distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}", "{value: 0}"),
        row(
            "parameters.lr_head.values[1]", "positive learning rate (got -0.001)",
            "{distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}", "{values: [1.0e-3, -1.0e-3]}"),
        row(
            "parameters.lr_head.values[1]", "positive learning rate (got '.nan')",
            "{distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}", "{values: [1.0e-3, .nan]}"),
        row(
            "parameters.lr_head.value", "positive learning rate (got '-.inf')",
            "{distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}", "{value: -.inf}"),
        row(
            "parameters.lr_backbone.slice", "two numbers (got [1.0E-5,\".Inf\"])",
            "[1.0e-5, 1.0e-3]", "[1.0e-5, .Inf]"),
        row(
            "parameters.lr_backbone.value", "positive learning rate (got -0.0001)",
            "{slice: [1.0e-5, 1.0e-3]}", "{value: -1.0e-4}"),
        row(
            "parameters.lr_backbone.slice[0]", "positive learning rate (got 0)",
            "[1.0e-5, 1.0e-3]", "[0, 1.0e-3]"),
        row(
            "parameters.lr_backbone.slice", "lo must be <= hi (got lo 0.001 > hi 0.00001)",
            "[1.0e-5, 1.0e-3]", "[1.0e-3, 1.0e-5]"),
        row(
            "parameters.lr_backbone.slice",
            "lo must stay <= hi",
            "{slice: [1.0e-5, 1.0e-3]}",
            "{slice: {lo: {value: 1.0e-3}, hi: {distribution: log_uniform, min: 1.0e-5, max: 1.0e-4}}}"),
        row(
            "parameters.lr_backbone.slice.lo.values[0]", "positive learning rate (got 0)",
            "{slice: [1.0e-5, 1.0e-3]}",
                "{slice: {lo: {values: [0, 1.0e-5]}, hi: {value: 1.0e-3}}}"),
        row(
            "parameters.lr_backbone.per_group[1]", "positive learning rate (got 0)",
            "{slice: [1.0e-5, 1.0e-3]}", "{per_group: [1.0e-5, 0, 1.0e-4, 1.0e-4]}"),
        row(
            "parameters.lr_backbone.per_group", "has 2 rates but the backbone has 4 layer groups",
            "{slice: [1.0e-5, 1.0e-3]}", "{per_group: [1.0e-5, 1.0e-4]}"),
        row(
            "parameters.lr_backbone.decay", "positive decay factor (got 0)",
            "{slice: [1.0e-5, 1.0e-3]}", "{decay: 0}"),
        row(
            "parameters.lr_backbone.top", "positive learning rate (got -1)",
            "{slice: [1.0e-5, 1.0e-3]}", "{decay: 2.6, top: -1.0}"),
        row(
            "parameters.dropout.value",
            "must be in [0, 1) (got 1)",
            "dropout:\n    distribution: q_uniform\n    min: 0.0\n    max: 0.5\n    q: 0.1",
            "dropout: {value: 1.0}"),
        row("parameters.batch_size.values[0]", "whole number >= 1 (got 0)", "[16, 32]", "[0, 32]"),
        row("parameters.epochs.value", "whole number >= 1 (got 0)", "{value: 3}", "{value: 0}"),
        row(
            "parameters.freeze_depth.values[1]",
            "must be in [0, 4] for this backbone of 4 layer groups, or 'all' (got 5)",
            "[0, 2, all]",
            "[0, 5, all]"),
        row(
            "parameters.freeze_depth.max", "must be in [0, 4]",
            "{values: [0, 2, all]}", "{distribution: int_uniform, min: 0, max: 6}"),
        row(
            "task.source_model", "cannot read source model '/nonexistent/model'",
            "scratch:thaw-cnn", "/nonexistent/model"),
        row(
            "objective.metric", "unknown metric 'val_acc'; did you mean 'val_accuracy'?",
            "metric: val_accuracy", "metric: val_acc"),
        row(
            "early_stopping.monitor",
            "unknown metric 'accuracy'",
            "monitor: val_loss",
            "monitor: accuracy"),
        row(
            "parameters.lr_head",
            "method grid needs a finite set of values, but lr_head is a"
                + " continuous log_uniform",
            "method: random",
            "method: grid"),
        row(
            "max_trials",
            "the grid has 72 points",
            "method: random",
            "method: grid",
            "{distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}",
            "{values: [1.0e-3, 3.0e-3]}"),
        row("max_trials", "required for method random", "max_trials: 10\n", ""),
        row("max_trials", "must be >= 1 (got 0)", "max_trials: 10", "max_trials: 0"),
        row(
            "parallel_trials",
            "must be >= 1 (got 0)",
            "max_trials: 10",
            "max_trials: 10\nparallel_trials: 0"),
        row(
            "max_failed_trials",
            "must be >= 1 (got 0)",
            "max_trials: 10",
            "max_trials: 10\nmax_failed_trials: 0"),
        row("retries", "must be >= 0 (got -2)", "max_trials: 10", "max_trials: 10\nretries: -2"),
        row("schedule.cron", "not a Quartz cron expression", "\"0 0 2 * * ?\"", "\"0 0 25 * * ?\""),
        row(
            "schedule.time_zone", "unknown time zone 'Europe/Berln'; did you mean 'Europe/Berlin'?",
            "time_zone: Europe/Berlin", "time_zone: Europe/Berln"),
        row(
            "schedule.overlap",
            "must be one of skip, queue, cancel (got 'skp'); did you mean 'skip'?",
            "time_zone: Europe/Berlin",
            "time_zone: Europe/Berlin\n  overlap: skp"),
        row(
            "schedule.warm_start",
            "must be >= 0 (got -1)",
            "time_zone: Europe/Berlin",
            "time_zone: Europe/Berlin\n  warm_start: -1"),
        row(
            "schedule.regression_threshold",
            "must be a finite number >= 0 (got -0.1)",
            "time_zone: Europe/Berlin",
            "time_zone: Europe/Berlin\n  regression_threshold: -0.1"),
        row("name", "(got 'My Sweep')", "name: base", "name: My Sweep"),
        row("parameters.dropout.q", "required for q_uniform", "    q: 0.1\n", ""),
        row(
            "parameters.dropout.q",
            "is only used by q_uniform",
            "distribution: q_uniform",
            "distribution: uniform"),
        row("early_stopping.patiense", "did you mean 'patience'?", "patience: 2", "patiense: 2"),
        row(
            "parameters.dropuot", "unknown key 'dropuot'; did you mean 'dropout'?",
            "  dropout:\n", "  dropuot:\n"),
        row(
            "parameters.optimizer.value",
            "did you mean 'adam'?",
            "  epochs: {value: 3}",
            "  epochs: {value: 3}\n  optimizer: {value: adamx}"),
        row(
            "parameters.epochs.distribution", "epochs takes whole numbers: use int_uniform",
            "{value: 3}", "{distribution: uniform, min: 1, max: 5}"),
        row(
            "parameters.lr_head.distribution",
            "unknown distribution 'loguniform'; did you mean" + " 'log_uniform'?",
            "distribution: log_uniform",
            "distribution: loguniform"),
        row(
            "parameters.epochs.q",
            "must be > 0 (got 0)",
            "method: random",
            "method: grid",
            "{distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}",
            "{values: [1.0e-3, 3.0e-3]}",
            "{value: 3}",
            "{distribution: int_uniform, min: 1, max: 5, q: 0}",
            "max_trials: 10",
            "max_trials: 1000"),
        row(
            "parameters.dropout",
            "but dropout is a continuous uniform",
            "method: random",
            "method: grid",
            "{distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}",
            "{values: [1.0e-3, 3.0e-3]}",
            "distribution: q_uniform",
            "distribution: uniform",
            "    q: 0.1\n",
            ""),
        row(
            "task.target.validation_fraction", "must be in (0, 1) (got 1.5)",
            "labels_per_class: 50", "labels_per_class: 50\n    validation_fraction: 1.5"),
        row(
            "task.target.labels_per_class",
            "must be >= 1 (got 0)",
            "labels_per_class: 50",
            "labels_per_class: 0"),
        row(
            "early_termination.reduction_factor",
            "must be >= 2 (got 1)",
            "reduction_factor: 3",
            "reduction_factor: 1"),
        row(
            "early_termination.min_trials",
            "unknown key 'min_trials'",
            "reduction_factor: 3",
            "min_trials: 3"),
        row(
            "early_stopping.mode",
            "must be min or max (got 'down')",
            "patience: 2",
            "patience: 2\n  mode: down"),
        row(
            "mlflow.tracking_uri",
            "must be a URI",
            "max_trials: 10",
            "max_trials: 10\nmlflow: {tracking_uri: 'localhost 5000'}"),
        row(
            "parameters.input_size.value",
            "must be at least 4 pixels for this source model (got 0)",
            "epochs: {value: 3}",
            "epochs: {value: 3}\n  input_size: {value: 0}"),
        row(
            "parameters.input_size.values[1]",
            "must be at least 32 pixels for this source model (got 16)",
            "epochs: {value: 3}",
            "epochs: {value: 3}\n  input_size: {values: [96, 16]}",
            "source_model: scratch:thaw-cnn",
            "source_model: zoo:mobilenet_v2"),
        row(
            "parameters.freeze_depth.values[1]",
            "must be in [0, 9] for this backbone of 9 layer groups",
            "[0, 2, all]",
            "[0, 10, all]",
            "source_model: scratch:thaw-cnn",
            "source_model: zoo:efficientnet_lite0"),
        row(
            "task.source_model",
            "unknown zoo model 'zoo:mobilenet_v3' (did you mean 'zoo:mobilenet_v2'?); known:",
            "source_model: scratch:thaw-cnn",
            "source_model: zoo:mobilenet_v3"),
        row(
            "parameters.augmentation.values[1]",
            "must be one of none, flip, crop, crop_flip (got 'flop')",
            "epochs: {value: 3}",
            "epochs: {value: 3}\n  augmentation: {values: [none, flop]}"),
        row(
            "parameters.batch_norm.distribution",
            "batch_norm is a choice, not a number",
            "epochs: {value: 3}",
            "epochs: {value: 3}\n  batch_norm: {distribution: uniform, min: 0, max: 1}"),
        row(
            "parameters.lr_schedule.values[1]",
            "must be one of constant, stlr, one_cycle, cosine (got 'slanted')",
            "epochs: {value: 3}",
            "epochs: {value: 3}\n  lr_schedule: {values: [stlr, slanted]}"),
        row(
            "parameters.unfreeze_every.value",
            "must be a whole number >= 1 (got 0)",
            "epochs: {value: 3}",
            "epochs: {value: 3}\n  unfreeze_every: {value: 0}"),
        row(
            "task.target.text_column",
            "only for csv: and jsonl: datasets",
            "labels_per_class: 50",
            "labels_per_class: 50\n    text_column: body"),
        row(
            "name",
            "must be at most 100 characters (got 101)",
            "name: base",
            "name: " + "b".repeat(101)),
        row("objective", "required", "objective:\n  metric: val_accuracy\n", ""),
        row("task.target.dataset", "required", "    dataset: mnist\n", ""),
        row(
            "max_trials",
            "must be a whole number (got 'ten')",
            "max_trials: 10",
            "max_trials: ten"));
  }

  @Test
  void theValidSweepHasNoErrors() {
    assertEquals(List.of(), VALIDATOR.validate(VALID));
    SweepSpec spec = SweepLoader.load(VALID).spec();
    assertEquals(10, spec.maxTrials());
    assertEquals(1, spec.parallelTrials());
    assertEquals(3, spec.maxFailedTrials());
    assertEquals(1, spec.retries());
    assertEquals(SweepSpec.Goal.MAXIMIZE, spec.objective().goal());
    assertEquals("base", spec.mlflow().experiment());
    assertEquals(new EarlyTerminationSpec.Asha(1, 3, 1), spec.earlyTermination());
    assertEquals(0.2, spec.task().target().validationFraction());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("oneChangeOneError")
  void oneChangeGivesExactlyOneError(String path, String fragment, String yaml) {
    List<SweepError> errors = VALIDATOR.validate(yaml);
    assertEquals(1, errors.size(), () -> "expected one error, got " + errors);
    SweepError error = errors.get(0);
    assertEquals(path, error.path(), error::toString);
    assertTrue(error.message().contains(fragment), () -> error + " lacks: " + fragment);
    assertNotNull(error.line(), () -> "no line in " + error);
  }

  @Test
  void everyErrorIsReportedAtOnceInFileOrder() {
    String yaml =
        change(
            "metric: val_accuracy", "metric: val_acc",
            "[0, 2, all]", "[0, 9, all]",
            "min: 0.0\n    max: 0.5", "min: 0.5\n    max: 0.1",
            "{value: 3}", "{value: 0}",
            "time_zone: Europe/Berlin", "time_zone: Mars/Olympus",
            "patience: 2", "patiense: 2");
    List<String> paths = VALIDATOR.validate(yaml).stream().map(SweepError::path).toList();
    assertEquals(
        List.of(
            "objective.metric",
            "parameters.freeze_depth.values[1]",
            "parameters.dropout.max",
            "parameters.epochs.value",
            "early_stopping.patiense",
            "schedule.time_zone"),
        paths);
  }

  @Test
  void anUnreadableSourceModelStillListsTheOtherErrors() {
    String yaml = change("scratch:thaw-cnn", "/nonexistent/model", "{value: 3}", "{value: 0}");
    List<String> paths = VALIDATOR.validate(yaml).stream().map(SweepError::path).toList();
    assertEquals(List.of("parameters.epochs.value", "task.source_model"), paths);
  }

  /** A submitted sweep's data and model paths must resolve inside the roots. */
  @Nested
  class Confined {
    @TempDir Path tmp;

    /** Data under tmp/data, models under tmp/models; remote models off unless asked for. */
    SweepValidator validator(boolean allowRemote) throws IOException {
      Files.createDirectories(tmp.resolve("data/pets"));
      Files.createDirectories(tmp.resolve("models"));
      Files.createDirectories(tmp.resolve("elsewhere"));
      InputPolicy confined =
          InputPolicy.confined(
              List.of(tmp.resolve("data")), List.of(tmp.resolve("models")), allowRemote);
      return new SweepValidator(new SourceModelGroupCount(confined), confined);
    }

    List<SweepError> errors(SweepValidator v, String from, String to) {
      return v.validate(change(from, to));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"folder:/etc", "folder:/root/.ssh", "folder:../../", "folder:/no/such/dir"})
    void aDataFolderOutsideTheRootsIsOneErrorAtTheDataset(String dataset) throws IOException {
      List<SweepError> errors =
          errors(validator(false), "dataset: mnist", "dataset: \"" + dataset + "\"");
      assertEquals(1, errors.size(), errors::toString);
      assertEquals("task.target.dataset", errors.get(0).path());
      assertEquals(
          "'"
              + dataset
              + "' is outside the data roots ("
              + tmp.resolve("data")
              + "); relative paths are taken from "
              + tmp.resolve("data")
              + ". Put it under one of them, or add a root with thaw.data.roots or"
              + " THAW_DATA_ROOTS",
          errors.get(0).message());
      assertNotNull(errors.get(0).line());
    }

    @Test
    void aSymlinkOutOfADataRootIsRefusedLikeAnyOutsidePath() throws IOException {
      SweepValidator v = validator(false);
      Files.createSymbolicLink(tmp.resolve("data/escape"), tmp.resolve("elsewhere"));
      String escape = errors(v, "dataset: mnist", "dataset: folder:escape").get(0).message();
      String missing = errors(v, "dataset: mnist", "dataset: folder:/no/such").get(0).message();
      assertEquals(missing.replace("folder:/no/such", "X"), escape.replace("folder:escape", "X"));
    }

    @Test
    void aDataFolderInsideTheRootsIsValidEvenBeforeItExists() throws IOException {
      SweepValidator v = validator(false);
      assertEquals(List.of(), errors(v, "dataset: mnist", "dataset: folder:pets"));
      assertEquals(List.of(), errors(v, "dataset: mnist", "dataset: folder:not-yet/there"));
      assertEquals(
          List.of(), errors(v, "dataset: mnist", "dataset: folder:" + tmp.resolve("data/pets")));
    }

    @Test
    void aTableColumnThatIsNotThereIsNamedWithTheColumnsThatAre() throws IOException {
      SweepValidator v = validator(false);
      Files.writeString(tmp.resolve("data/reviews.csv"), "body,stars\ngood,5\n");
      Files.writeString(tmp.resolve("data/reviews.jsonl"), "{\"body\": \"good\", \"stars\": 5}\n");
      assertEquals(
          List.of(),
          v.validate(
              change(
                  "dataset: mnist",
                  "dataset: \"csv:reviews.csv\"\n    text_column: body\n    label_column: stars")));
      for (String table : List.of("csv:reviews.csv", "jsonl:reviews.jsonl")) {
        List<SweepError> errors =
            v.validate(
                change(
                    "dataset: mnist",
                    "dataset: \"" + table + "\"\n    text_column: body\n    label_column: star"));
        assertEquals(1, errors.size(), errors::toString);
        assertEquals("task.target.label_column", errors.get(0).path());
        assertEquals(
            "'" + table + "' has no column 'star'; its columns: body, stars",
            errors.get(0).message());
      }
      List<SweepError> outside =
          v.validate(change("dataset: mnist", "dataset: \"csv:/etc/passwd\""));
      assertEquals(List.of("task.target.dataset"), outside.stream().map(SweepError::path).toList());
    }

    @Test
    void aModelOutsideTheRootsIsRefusedWithoutBeingRead() throws IOException {
      SweepValidator v = validator(false);
      for (String model : List.of("/etc", "/no/such/model", "../elsewhere", "/root/x.pt")) {
        List<SweepError> errors =
            errors(v, "source_model: scratch:thaw-cnn", "source_model: " + model);
        assertEquals(1, errors.size(), errors::toString);
        assertEquals("task.source_model", errors.get(0).path());
        assertTrue(
            errors.get(0).message().startsWith("'" + model + "' is outside the model roots ("),
            errors::toString);
      }
    }

    @Test
    void aRemoteModelUrlIsRefusedUnlessAllowed() throws IOException {
      String url = "http://127.0.0.1:18600/evil/model.zip";
      List<SweepError> errors =
          errors(validator(false), "source_model: scratch:thaw-cnn", "source_model: " + url);
      assertEquals(1, errors.size(), errors::toString);
      assertEquals("task.source_model", errors.get(0).path());
      assertTrue(errors.get(0).message().contains("remote model URL"), errors::toString);

      // Allowed, the URL passes (its groups cannot be known before loading; no fetch here).
      String yaml = change("source_model: scratch:thaw-cnn", "source_model: " + url, ", all]", "]");
      assertEquals(List.of(), validator(true).validate(yaml));
    }
  }

  @Test
  void errorsPrintWithPathMessageAndPosition() {
    String yaml = change("min: 0.0\n    max: 0.5", "min: 0.5\n    max: 0.1");
    assertEquals(
        "parameters.dropout.max: must be > min (got 0.1 <= 0.5) (line 13, column 10)",
        VALIDATOR.validate(yaml).get(0).toString());
  }

  @Test
  void aSyntaxErrorHasLineAndColumn() {
    List<SweepError> errors =
        VALIDATOR.validate("name: x\nobjective: {metric: val_loss\nmethod: grid\n");
    assertEquals(1, errors.size(), errors::toString);
    SweepError e = errors.get(0);
    assertTrue(e.message().startsWith("YAML syntax error"), e::toString);
    assertEquals(3, e.line(), e::toString);
    assertNotNull(e.column());
  }

  @Test
  void anUnknownKeyHasPositionSuggestionAndKnownKeys() {
    List<SweepError> errors = VALIDATOR.validate(change("method: random", "metod: random"));
    // method is then missing too: both are reported.
    SweepError unknown =
        errors.stream().filter(e -> e.path().equals("metod")).findFirst().orElseThrow();
    assertEquals(4, unknown.line());
    assertEquals(1, unknown.column());
    assertTrue(unknown.message().contains("did you mean 'method'?"), unknown::toString);
    assertTrue(
        unknown.message().contains("known keys: name, description, objective"), unknown::toString);
    assertTrue(errors.stream().anyMatch(e -> e.path().equals("method")), errors::toString);
  }

  @Test
  void aKeyFarFromEveryKnownKeyGetsNoSuggestion() {
    List<SweepError> errors = VALIDATOR.validate(change("name: base", "name: base\ncolour: blue"));
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(!errors.get(0).message().contains("did you mean"), errors.get(0)::toString);
  }

  @Test
  void duplicateKeysAreErrors() {
    List<SweepError> errors = VALIDATOR.validate(change("name: base", "name: base\nname: again"));
    assertEquals(1, errors.size(), errors::toString);
    assertEquals("duplicate key 'name'", errors.get(0).message());
    assertEquals(2, errors.get(0).line());
  }

  @Test
  void anInvalidFileIsRefusedNamingTheFileAndEveryError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file, change("{value: 3}", "{value: 0}", "metric: val_accuracy", "metric: x"));
    InvalidSweepException e =
        assertThrows(InvalidSweepException.class, () -> SweepFiles.load(file, VALIDATOR));
    assertEquals(2, e.errors().size(), e::getMessage);
    assertTrue(
        e.getMessage().startsWith("invalid sweep file " + file + " (2 errors):"), e::getMessage);
    assertTrue(
        e.getMessage().contains("  - parameters.epochs.value: must be a whole number >= 1"),
        e::getMessage);
    assertTrue(e.getMessage().contains("  - objective.metric: unknown metric 'x'"), e::getMessage);
  }

  @Test
  void aMissingFileIsOneError(@TempDir Path dir) {
    List<SweepError> errors = SweepFiles.check(dir.resolve("nope.yaml"), VALIDATOR);
    assertEquals(List.of(SweepError.at("", "file not found")), errors);
  }

  @Test
  void gridMaxTrialsDefaultsToTheGridSize() {
    String yaml =
        change(
            "method: random\nmax_trials: 10\n", "method: grid\n",
            "{distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}", "{values: [1.0e-3, 3.0e-3]}");
    assertEquals(List.of(), VALIDATOR.validate(yaml));
    // freeze_depth 3 x lr_head 2 x dropout 6 (0.0..0.5 by 0.1) x batch_size 2
    assertEquals(72, SweepLoader.load(yaml).spec().maxTrials());
  }
}
