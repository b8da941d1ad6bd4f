package dev.thaw.inputs;

import dev.thaw.data.DatasetRef;
import dev.thaw.data.TableDataset;
import dev.thaw.data.ThawPaths;
import dev.thaw.model.SourceModelRef;
import dev.thaw.task.InputAdmission;
import dev.thaw.task.InputRefusedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which data and source models a host serves to sweeps it did not write: folders and model files
 * inside its {@linkplain AllowedRoots roots}, remote model URLs only when allowed. Built-in
 * datasets, {@code zoo:}, {@code scratch:} and built-in models name no path and always pass.
 *
 * <p>The orchestrator applies its policy when a sweep is submitted ({@code thaw.data.roots}, {@code
 * thaw.models.roots}, {@code thaw.models.allow-remote}); every worker applies its own at trial
 * start ({@link #fromEnvironment}: {@code THAW_DATA_ROOTS}, {@code THAW_MODELS_ROOTS}, {@code
 * THAW_MODELS_ALLOW_REMOTE}, the same names the orchestrator reads), since the two hosts may
 * differ. Commands a user runs on their own files ({@code thaw train}, {@code thaw validate},
 * {@code thaw pretrain}) use {@link #unrestricted()}.
 */
public final class InputPolicy implements InputAdmission {
  /** Environment variable of the data roots (comma- or colon-separated). */
  public static final String DATA_ROOTS_ENV = "THAW_DATA_ROOTS";

  /** Environment variable of the model roots (comma- or colon-separated). */
  public static final String MODEL_ROOTS_ENV = "THAW_MODELS_ROOTS";

  /** Environment variable that allows remote model URLs ({@code true}). */
  public static final String ALLOW_REMOTE_ENV = "THAW_MODELS_ALLOW_REMOTE";

  private static final String DATA_SETTING = "thaw.data.roots or " + DATA_ROOTS_ENV;
  private static final String MODEL_SETTING = "thaw.models.roots or " + MODEL_ROOTS_ENV;

  private static final InputPolicy UNRESTRICTED = new InputPolicy(null, null, true);

  private final AllowedRoots dataRoots;
  private final AllowedRoots modelRoots;
  private final boolean allowRemoteModels;

  private InputPolicy(AllowedRoots dataRoots, AllowedRoots modelRoots, boolean allowRemoteModels) {
    this.dataRoots = dataRoots;
    this.modelRoots = modelRoots;
    this.allowRemoteModels = allowRemoteModels;
  }

  /**
   * Paths are taken as given (relative ones against the working directory) and URLs are allowed:
   * for a user's own files on their own machine.
   */
  public static InputPolicy unrestricted() {
    return UNRESTRICTED;
  }

  /**
   * Data and model paths confined to roots; relative paths are taken against the first root of
   * each.
   *
   * @param allowRemoteModels whether {@code http(s)://} and other model URLs may be fetched
   */
  public static InputPolicy confined(
      List<Path> dataRoots, List<Path> modelRoots, boolean allowRemoteModels) {
    return new InputPolicy(
        new AllowedRoots("data", DATA_SETTING, dataRoots),
        new AllowedRoots("model", MODEL_SETTING, modelRoots),
        allowRemoteModels);
  }

  /** The default data roots: {@code $THAW_CACHE/data} and {@code /data}. */
  public static List<Path> defaultDataRoots() {
    return List.of(ThawPaths.cacheDir().resolve("data"), Path.of("/data"));
  }

  /**
   * The default model roots: {@code $THAW_CACHE/models} (where {@code thaw pretrain} saves and
   * {@code pretrained:NAME} looks) and {@code /models}.
   */
  public static List<Path> defaultModelRoots() {
    return List.of(ThawPaths.cacheDir().resolve("models"), Path.of("/models"));
  }

  /** A worker's policy from the process environment, with the defaults for what is unset. */
  public static InputPolicy fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** Like {@link #fromEnvironment()}, reading {@code env}. */
  public static InputPolicy fromEnvironment(Map<String, String> env) {
    List<Path> data = rootsOr(env.get(DATA_ROOTS_ENV), defaultDataRoots());
    List<Path> models = rootsOr(env.get(MODEL_ROOTS_ENV), defaultModelRoots());
    String remote = env.get(ALLOW_REMOTE_ENV);
    return confined(
        data, models, remote != null && remote.strip().equalsIgnoreCase(Boolean.TRUE.toString()));
  }

  private static List<Path> rootsOr(String value, List<Path> defaults) {
    return value == null || value.isBlank() ? defaults : AllowedRoots.parse(List.of(value));
  }

  /** Whether paths are checked at all ({@code false} for {@link #unrestricted()}). */
  public boolean confined() {
    return dataRoots != null;
  }

  /** The data roots, or null when unrestricted. */
  public AllowedRoots dataRoots() {
    return dataRoots;
  }

  /** The model roots, or null when unrestricted. */
  public AllowedRoots modelRoots() {
    return modelRoots;
  }

  /** Whether remote model URLs are allowed. */
  public boolean allowRemoteModels() {
    return allowRemoteModels;
  }

  /**
   * Reads a dataset reference and confines a folder to the data roots.
   *
   * @param field the field that holds it, for messages ({@code task.target.dataset})
   * @return the reference; a folder as its real path inside a root
   * @throws dev.thaw.task.DatasetException when the text is not a dataset reference
   * @throws InputRefusedException when the folder lies outside the roots
   */
  public DatasetRef dataset(String field, String text) {
    DatasetRef ref = DatasetRef.parse(text);
    if (dataRoots == null) {
      return ref;
    }
    return switch (ref) {
      case DatasetRef.ImageFolder folder ->
          new DatasetRef.ImageFolder(dataRoots.resolve(field, text.strip(), folder.dir()));
      case DatasetRef.Table table ->
          new DatasetRef.Table(
              table.format(), dataRoots.resolve(field, text.strip(), table.file()));
      default -> ref;
    };
  }

  /**
   * Reads a source model reference, confines a model directory or TorchScript file to the model
   * roots and refuses remote URLs unless allowed.
   *
   * @param field the field that holds it, for messages ({@code task.source_model})
   * @throws dev.thaw.task.ModelLoadException when the text is not a source model reference
   * @throws InputRefusedException when the path lies outside the roots, or the URL is refused
   */
  public SourceModelRef sourceModel(String field, String text) {
    SourceModelRef ref = SourceModelRef.parse(text);
    if (dataRoots == null) {
      return ref;
    }
    return switch (ref) {
      case SourceModelRef.ParamsDir d ->
          new SourceModelRef.ParamsDir(modelRoots.resolve(field, text, d.dir()));
      case SourceModelRef.TorchScript t ->
          new SourceModelRef.TorchScript(modelRoots.resolve(field, text, t.file()));
      case SourceModelRef.ModelUrl u -> {
        checkUrl(field, u.url());
        yield u;
      }
      case SourceModelRef.Scratch s -> s;
      case SourceModelRef.Zoo z -> z;
    };
  }

  @Override
  public void admitSourceModel(String field, String sourceModel) {
    sourceModel(field, sourceModel);
  }

  @Override
  public void admitDataset(String field, String dataset) {
    dataset(field, dataset);
  }

  /**
   * A {@code csv:} or {@code jsonl:} table's columns, read after admitting it; empty for other
   * data, and for a table not there yet (like a folder, it may appear before the trials run).
   */
  @Override
  public Optional<List<String>> tableColumns(String field, String dataset) {
    return dataset(field, dataset) instanceof DatasetRef.Table table
            && java.nio.file.Files.exists(table.file())
        ? Optional.of(TableDataset.columns(table))
        : Optional.empty();
  }

  private void checkUrl(String field, String url) {
    String scheme = url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT);
    if (scheme.equals("file") || scheme.equals("jar")) {
      throw new InputRefusedException(
          field,
          "'"
              + url
              + "' is a "
              + scheme
              + ": URL; give a local model as a path inside the model roots ("
              + modelRoots.listing()
              + ")");
    }
    if (!allowRemoteModels) {
      throw new InputRefusedException(
          field,
          "'"
              + url
              + "' is a remote model URL, and remote models are off; use zoo:NAME,"
              + " pretrained:NAME or a model path inside the model roots, or allow remote models"
              + " with thaw.models.allow-remote=true (THAW_MODELS_ALLOW_REMOTE=true) on the"
              + " orchestrator and the workers");
    }
  }

  @Override
  public String toString() {
    return dataRoots == null
        ? "unrestricted"
        : dataRoots + "; " + modelRoots + "; remote models " + (allowRemoteModels ? "on" : "off");
  }
}
