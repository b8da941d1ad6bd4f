package dev.thaw.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;

/** Parses the worker's {@code --device} flag: {@code cpu}, {@code gpu} or {@code gpu:N}. */
public final class Devices {
  private Devices() {}

  /**
   * Returns the device, checking that a GPU exists when one is asked for.
   *
   * @throws IllegalArgumentException naming the flag value and what exists
   */
  public static Device parse(String flag) {
    String f = flag == null ? "cpu" : flag.trim().toLowerCase(java.util.Locale.ROOT);
    if (f.equals("cpu")) {
      return Device.cpu();
    }
    if (f.equals("gpu") || f.startsWith("gpu:")) {
      int id;
      try {
        id = f.equals("gpu") ? 0 : Integer.parseInt(f.substring(4));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--device " + flag + ": use cpu, gpu or gpu:N", e);
      }
      int count = gpuCount(flag);
      if (id < 0 || id >= count) {
        throw new IllegalArgumentException(
            "--device "
                + flag
                + ": this machine's PyTorch engine sees "
                + count
                + " GPU(s)"
                + (count == 0 ? " (CPU natives, or no CUDA device)" : ""));
      }
      return Device.gpu(id);
    }
    throw new IllegalArgumentException("--device " + flag + ": use cpu, gpu or gpu:N");
  }

  /** The engine's GPU count; a libtorch that does not load is named with its first cause. */
  private static int gpuCount(String flag) {
    try {
      return Engine.getInstance().getGpuCount();
    } catch (EngineException e) {
      throw new IllegalArgumentException(
          notLoaded(flag, e, System.getenv("PYTORCH_LIBRARY_PATH")), e);
    }
  }

  /** Why the PyTorch engine did not load, and when it is the NVIDIA driver, what to do about it. */
  static String notLoaded(String flag, Throwable e, String libraryPath) {
    String cause = e.getMessage();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        cause = t.getMessage();
      }
    }
    String where =
        libraryPath == null || libraryPath.isBlank()
            ? ""
            : " from PYTORCH_LIBRARY_PATH=" + libraryPath;
    String message =
        "--device " + flag + ": PyTorch's native library did not load" + where + ": " + cause;
    if (cause != null && cause.contains("libcuda.so")) {
      message +=
          " (libcuda.so.1 is the NVIDIA driver's, which is not on this machine or not in this"
              + " container: run on a host with an NVIDIA GPU and driver, and give the container"
              + " the GPU: docker run --gpus 1, a compose device reservation, or nvidia.com/gpu in"
              + " Kubernetes)";
    }
    return message;
  }
}
