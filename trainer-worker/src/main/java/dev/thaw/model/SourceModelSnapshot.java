package dev.thaw.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model directory's pretrained weights, held in memory on the training device. {@link #open}
 * builds a fresh network and gives each of its parameters its own copy of the pretrained values, so
 * no file is read and no trial starts from weights another trial trained. A worker keeps one
 * between the trials of a task.
 *
 * <p>Only model directories ({@link SourceModelRef.ParamsDir}, which {@code pretrained:NAME} is)
 * are snapshotted: a scratch model is random by design, and TorchScript and zoo models are opened
 * again for every trial.
 */
public final class SourceModelSnapshot implements AutoCloseable {
  private final SourceModelRef.ParamsDir ref;
  private final Device device;
  private final SourceModels.ParamsDirLayout layout;
  private final FileTime weightsModified;
  private final long weightsSize;
  private final NDManager manager;
  private final Map<String, NDArray> values;

  private SourceModelSnapshot(
      SourceModelRef.ParamsDir ref,
      Device device,
      SourceModels.ParamsDirLayout layout,
      FileTime weightsModified,
      long weightsSize,
      NDManager manager,
      Map<String, NDArray> values) {
    this.ref = ref;
    this.device = device;
    this.layout = layout;
    this.weightsModified = weightsModified;
    this.weightsSize = weightsSize;
    this.manager = manager;
    this.values = values;
  }

  /**
   * Loads a model directory once and keeps a copy of every parameter's values on {@code device}.
   *
   * @throws ModelLoadException naming the directory or file that cannot be read
   */
  public static SourceModelSnapshot capture(SourceModelRef.ParamsDir ref, Device device) {
    SourceModels.ParamsDirLayout layout = SourceModels.ParamsDirLayout.of(ref.dir());
    FileTime modified;
    long size;
    try {
      modified = Files.getLastModifiedTime(layout.weights());
      size = Files.size(layout.weights());
    } catch (IOException e) {
      throw new ModelLoadException("cannot read weights file " + layout.weights(), e);
    }
    NDManager manager = NDManager.newBaseManager(device);
    Map<String, NDArray> values = new LinkedHashMap<>();
    try (TransferNetwork source = SourceModels.loadParamsDir(layout, device)) {
      for (Pair<String, Parameter> p : source.model().getBlock().getParameters()) {
        NDArray copy = p.getValue().getArray().duplicate();
        copy.attach(manager);
        values.put(p.getKey(), copy);
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return new SourceModelSnapshot(ref, device, layout, modified, size, manager, values);
  }

  /** The source this snapshot holds. */
  public SourceModelRef.ParamsDir ref() {
    return ref;
  }

  /** The device its values live on. */
  public Device device() {
    return device;
  }

  /**
   * False once the weights file changed on disk (e.g. {@code thaw pretrain --force}) or vanished:
   * the snapshot no longer shows the source model.
   */
  public boolean isCurrent() {
    try {
      return Files.getLastModifiedTime(layout.weights()).equals(weightsModified)
          && Files.size(layout.weights()) == weightsSize;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A new network with the pretrained weights and a fresh head for the target classes; the caller
   * owns it and closes it. Seed the engine first for a reproducible head.
   */
  public TransferNetwork open(int targetClasses, double dropout) {
    TransferNetwork network = layout.emptyNetwork(device);
    try {
      NDManager owner = network.model().getNDManager();
      for (Pair<String, Parameter> p : network.model().getBlock().getParameters()) {
        NDArray value = values.get(p.getKey());
        if (value == null) {
          throw new ModelLoadException(
              "snapshot of " + ref.dir() + " has no value for parameter " + p.getKey());
        }
        NDArray copy = value.duplicate();
        copy.attach(owner);
        p.getValue().setArray(copy);
      }
      network.replaceHead(targetClasses, dropout);
      network.recordInputShape();
      return network;
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /** Frees the held values. */
  @Override
  public void close() {
    manager.close();
  }
}
