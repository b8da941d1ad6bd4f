package dev.thaw.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.thaw.model.zoo.ZooNetworks;
import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A source model's pretrained weights, held in memory on the training device. {@link #open} builds
 * a fresh network and gives each of its parameters its own copy of the pretrained values, so no
 * file is read and no trial starts from weights another trial trained. A worker keeps one between
 * the trials of a task.
 *
 * <p>Model directories ({@link SourceModelRef.ParamsDir}, which {@code pretrained:NAME} is) and
 * pretrained zoo models ({@code zoo:NAME}) are snapshotted: a scratch model is random by design,
 * and TorchScript and URL models are opened again for every trial.
 */
public final class SourceModelSnapshot implements AutoCloseable {
  private final SourceModelRef ref;
  private final Device device;
  private final Supplier<TransferNetwork> emptyNetwork;
  private final Path weights;
  private final FileTime weightsModified;
  private final long weightsSize;
  private final NDManager manager;
  private final Map<String, NDArray> values;

  private SourceModelSnapshot(
      SourceModelRef ref,
      Device device,
      Supplier<TransferNetwork> emptyNetwork,
      Path weights,
      FileTime weightsModified,
      long weightsSize,
      NDManager manager,
      Map<String, NDArray> values) {
    this.ref = ref;
    this.device = device;
    this.emptyNetwork = emptyNetwork;
    this.weights = weights;
    this.weightsModified = weightsModified;
    this.weightsSize = weightsSize;
    this.manager = manager;
    this.values = values;
  }

  /** True for the sources a snapshot can hold: model directories and pretrained zoo models. */
  public static boolean supports(SourceModelRef ref) {
    return ref instanceof SourceModelRef.ParamsDir
        || (ref instanceof SourceModelRef.Zoo z && z.pretrained());
  }

  /**
   * Loads a source model once and keeps a copy of every parameter's values on {@code device}.
   *
   * @throws ModelLoadException naming the directory or file that cannot be read
   * @throws IllegalArgumentException for a source that is not {@link #supports supported}
   */
  public static SourceModelSnapshot capture(SourceModelRef ref, Device device) {
    return switch (ref) {
      case SourceModelRef.ParamsDir d -> {
        SourceModels.ParamsDirLayout layout = SourceModels.ParamsDirLayout.of(d.dir());
        yield capture(
            ref,
            device,
            layout.weights(),
            () -> SourceModels.loadParamsDir(layout, device),
            () -> layout.emptyNetwork(device));
      }
      case SourceModelRef.Zoo z when z.pretrained() ->
          capture(
              ref,
              device,
              z.model().weights().path(),
              () -> ZooNetworks.open(z.model(), true, device),
              () -> ZooNetworks.empty(z.model(), device));
      default -> throw new IllegalArgumentException("no snapshot of " + ref);
    };
  }

  private static SourceModelSnapshot capture(
      SourceModelRef ref,
      Device device,
      Path weights,
      Supplier<TransferNetwork> load,
      Supplier<TransferNetwork> emptyNetwork) {
    FileTime modified;
    long size;
    try {
      modified = Files.getLastModifiedTime(weights);
      size = Files.size(weights);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read weights file " + weights, e);
    }
    NDManager manager = NDManager.newBaseManager(device);
    Map<String, NDArray> values = new LinkedHashMap<>();
    try (TransferNetwork source = load.get()) {
      for (Pair<String, Parameter> p : source.model().getBlock().getParameters()) {
        NDArray copy = p.getValue().getArray().duplicate();
        copy.attach(manager);
        values.put(p.getKey(), copy);
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return new SourceModelSnapshot(
        ref, device, emptyNetwork, weights, modified, size, manager, values);
  }

  /** The source this snapshot holds. */
  public SourceModelRef ref() {
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
      return Files.getLastModifiedTime(weights).equals(weightsModified)
          && Files.size(weights) == weightsSize;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A new network with the pretrained weights and a fresh head for the target classes; the caller
   * owns it and closes it. Seed the engine first for a reproducible head.
   */
  public TransferNetwork open(int targetClasses, double dropout) {
    TransferNetwork network = emptyNetwork.get();
    try {
      NDManager owner = network.model().getNDManager();
      for (Pair<String, Parameter> p : network.model().getBlock().getParameters()) {
        NDArray value = values.get(p.getKey());
        if (value == null) {
          throw new ModelLoadException(
              "snapshot of " + ref + " has no value for parameter " + p.getKey());
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
