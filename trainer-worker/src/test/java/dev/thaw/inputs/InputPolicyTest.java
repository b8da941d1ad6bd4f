package dev.thaw.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.data.DatasetRef;
import dev.thaw.data.ThawPaths;
import dev.thaw.model.SourceModelRef;
import dev.thaw.task.InputRefusedException;
import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a confined host admits: built-ins always, paths inside its roots, URLs only if allowed. */
class InputPolicyTest {
  @TempDir Path tmp;
  Path data;
  Path models;
  InputPolicy policy;

  @BeforeEach
  void roots() throws IOException {
    data = Files.createDirectories(tmp.resolve("data"));
    models = Files.createDirectories(tmp.resolve("models"));
    policy = InputPolicy.confined(List.of(data), List.of(models), false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mnist", "fashion-mnist[0-4]", "mnist[0,2,5-7]"})
  void builtInDatasetsPass(String dataset) {
    assertInstanceOf(DatasetRef.Builtin.class, policy.dataset("target.dataset", dataset));
  }

  @ParameterizedTest
  @ValueSource(strings = {"zoo:mobilenet_v2", "scratch:mobilenet_v2", "scratch:thaw-cnn-w4"})
  void zooAndBuiltInModelsPass(String model) {
    SourceModelRef ref = policy.sourceModel("source_model", model);
    assertEquals(SourceModelRef.parse(model), ref);
  }

  @Test
  void aFolderInsideTheDataRootsResolvesAgainstTheFirstRoot() throws IOException {
    Path pets = Files.createDirectories(data.resolve("pets"));
    assertEquals(
        new DatasetRef.ImageFolder(pets.toRealPath()),
        policy.dataset("target.dataset", "folder:pets"));
    assertEquals(
        new DatasetRef.ImageFolder(pets.toRealPath()),
        policy.dataset("target.dataset", " folder:" + pets + " "));
  }

  @Test
  void aTableIsConfinedLikeAFolderAndItsColumnsAreRead() throws IOException {
    Path csv = Files.writeString(data.resolve("r.csv"), "text,label\nhi,a\n");
    assertEquals(
        new DatasetRef.Table(DatasetRef.TableFormat.CSV, csv.toRealPath()),
        policy.dataset("target.dataset", "csv:r.csv"));
    assertEquals(
        java.util.Optional.of(List.of("text", "label")),
        policy.tableColumns("target.dataset", "csv:r.csv"));
    assertEquals(
        java.util.Optional.empty(), policy.tableColumns("target.dataset", "jsonl:later.jsonl"));
    assertEquals(java.util.Optional.empty(), policy.tableColumns("target.dataset", "mnist"));
    assertThrows(
        InputRefusedException.class,
        () -> policy.tableColumns("target.dataset", "csv:/etc/passwd"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "folder:/etc",
        "folder:/root/.ssh",
        "folder:../../",
        "/etc",
        "../x",
        "csv:/etc/passwd",
        "jsonl:../x.jsonl"
      })
  void aFolderOutsideTheDataRootsIsRefusedNamingTheFieldAndValue(String dataset) {
    InputRefusedException e =
        assertThrows(
            InputRefusedException.class, () -> policy.dataset("task.target.dataset", dataset));
    assertEquals(
        "task.target.dataset: '" + dataset + "' is outside the data roots (" + data + ")",
        e.getMessage().substring(0, e.getMessage().indexOf(')') + 1));
  }

  @Test
  void modelPathsAreConfinedToTheModelRoots() throws IOException {
    Path dir = Files.createDirectories(models.resolve("my-model"));
    assertEquals(
        new SourceModelRef.ParamsDir(dir.toRealPath()),
        policy.sourceModel("source_model", "my-model"));
    assertEquals(
        new SourceModelRef.TorchScript(models.toRealPath().resolve("net.pt")),
        policy.sourceModel("source_model", models + "/net.pt"));
    for (String outside : List.of("/etc", "/root/.ssh", "../../", data.toString(), "/x/m.pt")) {
      InputRefusedException e =
          assertThrows(
              InputRefusedException.class, () -> policy.sourceModel("source_model", outside));
      assertTrue(
          e.getMessage().startsWith("source_model: '" + outside + "' is outside the model roots"),
          e.getMessage());
    }
  }

  @Test
  void aPretrainedNameIsADirectoryUnderTheCacheAndCannotClimbOut() {
    InputPolicy defaults = InputPolicy.fromEnvironment(Map.of());
    assertEquals(
        new SourceModelRef.ParamsDir(
            defaults.modelRoots().resolve("f", "x", ThawPaths.cacheDir().resolve("models/demo"))),
        defaults.sourceModel("source_model", "pretrained:demo"));
    for (String name : List.of("pretrained:../../etc", "pretrained:..", "pretrained:a/b")) {
      assertThrows(ModelLoadException.class, () -> defaults.sourceModel("source_model", name));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:18600/evil/model.zip",
        "https://example.com/model.pt",
        "djl://ai.djl.pytorch/resnet",
        "s3://bucket/model"
      })
  void remoteModelUrlsAreRefusedUnlessAllowed(String url) {
    InputRefusedException e =
        assertThrows(
            InputRefusedException.class, () -> policy.sourceModel("task.source_model", url));
    assertTrue(
        e.getMessage()
            .startsWith("task.source_model: '" + url + "' is a remote model URL, and remote"),
        e.getMessage());
    assertTrue(e.getMessage().contains("thaw.models.allow-remote=true"), e.getMessage());

    InputPolicy remote = InputPolicy.confined(List.of(data), List.of(models), true);
    assertEquals(new SourceModelRef.ModelUrl(url), remote.sourceModel("source_model", url));
  }

  @Test
  void fileUrlsAreRefusedEvenWhenRemoteModelsAreAllowed() {
    InputPolicy remote = InputPolicy.confined(List.of(data), List.of(models), true);
    for (String url : List.of("file:///etc/model.pt", "jar:///x.jar!/m.pt")) {
      InputRefusedException e =
          assertThrows(InputRefusedException.class, () -> remote.sourceModel("source_model", url));
      assertTrue(e.getMessage().contains("give a local model as a path"), e.getMessage());
    }
  }

  @Test
  void unrestrictedTakesPathsAndUrlsAsGiven() {
    InputPolicy local = InputPolicy.unrestricted();
    assertFalse(local.confined());
    assertEquals(
        new DatasetRef.ImageFolder(Path.of("/etc")),
        local.dataset("target.dataset", "folder:/etc"));
    assertEquals(
        new SourceModelRef.ModelUrl("http://127.0.0.1:1/m.zip"),
        local.sourceModel("source_model", "http://127.0.0.1:1/m.zip"));
  }

  @Test
  void theEnvironmentSetsRootsAndRemoteModels() {
    InputPolicy env =
        InputPolicy.fromEnvironment(
            Map.of(
                "THAW_DATA_ROOTS", "/srv/data,/mnt/d",
                "THAW_MODELS_ROOTS", "/srv/models",
                "THAW_MODELS_ALLOW_REMOTE", "TRUE"));
    assertEquals(List.of(Path.of("/srv/data"), Path.of("/mnt/d")), env.dataRoots().roots());
    assertEquals(List.of(Path.of("/srv/models")), env.modelRoots().roots());
    assertTrue(env.allowRemoteModels());

    InputPolicy defaults = InputPolicy.fromEnvironment(Map.of("THAW_DATA_ROOTS", " "));
    assertEquals(InputPolicy.defaultDataRoots(), defaults.dataRoots().roots());
    assertEquals(InputPolicy.defaultModelRoots(), defaults.modelRoots().roots());
    assertFalse(defaults.allowRemoteModels());
  }
}
