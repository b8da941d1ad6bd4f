package dev.thaw.train;

import ai.djl.Device;
import ai.djl.engine.Engine;

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
      int count = Engine.getInstance().getGpuCount();
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
}
