package dev.thaw.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.thaw.data.ThawPaths;
import dev.thaw.inputs.InputPolicy;
import dev.thaw.model.SourceModelGroupCount;
import dev.thaw.sweep.search.SearchMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in sweep-configs/ validates, with Thaw's validator as an orchestrator with the default
 * data and model roots sees it, and with the editor schema.
 */
class ExampleFilesTest {
  static final Path CONFIGS = Path.of("..", "sweep-configs");
  static final String SOURCE = "thaw-cnn-fashion-mnist-0-4";

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(CONFIGS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  /** The default roots, remote models off: what a submitted file meets with zero set-up. */
  static final InputPolicy DEFAULT_ROOTS = InputPolicy.fromEnvironment(Map.of());

  /**
   * The real source models (the zoo's need no files); the pretrained one stated as its 4 groups
   * when it is not pretrained here.
   */
  static SweepValidator validator() {
    SweepValidator real =
        new SweepValidator(new SourceModelGroupCount(DEFAULT_ROOTS), DEFAULT_ROOTS);
    if (Files.isDirectory(ThawPaths.cacheDir().resolve("models").resolve(SOURCE))) {
      return real;
    }
    return new SweepValidator(
        source ->
            source.equals("pretrained:" + SOURCE)
                ? java.util.OptionalInt.of(4)
                : real.groupCount().of(source),
        DEFAULT_ROOTS);
  }

  static Schema schema() throws IOException {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(Files.readString(CONFIGS.resolve("sweep.schema.json")), InputFormat.JSON);
  }

  @Test
  void theDocumentedExamplesExist() throws IOException {
    assertEquals(
        List.of(
            "freeze-x-lr-grid.yaml",
            "imagenet-mobilenet.yaml",
            "nightly.yaml",
            "quickstart.yaml",
            "random-five-dims.yaml",
            "text-sentiment.yaml",
            "ulmfit-spam.yaml"),
        examples().map(p -> p.getFileName().toString()).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void validatesWithThawsValidator(Path file) {
    SweepSpec spec = SweepFiles.load(file, validator());
    assertTrue(spec.maxTrials() >= 1);
    assertFalse(spec.searchSpace().dimensions().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void validatesAgainstTheSchema(Path file) throws IOException {
    List<Error> errors = schema().validate(Files.readString(file), InputFormat.YAML);
    assertEquals(List.of(), errors.stream().map(Object::toString).toList());
  }

  @Test
  void theSchemaRejectsABadFile() throws IOException {
    String bad =
        Files.readString(CONFIGS.resolve("quickstart.yaml"))
            .replace("method: grid", "method: bayes")
            .replace("  lr_head:\n", "  lr_hed:\n");
    List<String> errors =
        schema().validate(bad, InputFormat.YAML).stream().map(Object::toString).toList();
    assertTrue(errors.stream().anyMatch(e -> e.contains("method")), errors::toString);
    assertTrue(errors.stream().anyMatch(e -> e.contains("lr_hed")), errors::toString);
  }

  @Test
  void quickstartIsTheDocumentedGrid() {
    SweepSpec spec = SweepFiles.load(CONFIGS.resolve("quickstart.yaml"), validator());
    assertEquals(SearchMethod.GRID, spec.method());
    assertEquals(6, spec.maxTrials());
    assertEquals("zoo:mobilenet_v2", spec.task().sourceModel());
    assertEquals(100, spec.task().target().labelsPerClass());
    assertEquals(
        64,
        ((dev.thaw.sweep.space.Domain.Fixed) spec.searchSpace().dimensions().get("input_size"))
            .value()
            .asInt());
  }

  @Test
  void nightlyIsScheduled() {
    SweepSpec spec = SweepFiles.load(CONFIGS.resolve("nightly.yaml"), validator());
    assertEquals(new SweepSpec.Schedule("0 0 2 * * ?", "Europe/Berlin"), spec.schedule());
    assertEquals(new EarlyTerminationSpec.Median(5, 2), spec.earlyTermination());
    assertEquals(SearchMethod.TPE, spec.method());
  }
}
