package dev.thaw.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import org.junit.jupiter.api.Test;

class DevicesTest {

  @Test
  void cpuIsTheDefault() {
    assertEquals(Device.cpu(), Devices.parse(null));
    assertEquals(Device.cpu(), Devices.parse(" CPU "));
  }

  @Test
  void aGpuThisMachineLacksIsNamed() {
    // The test machines have CPU natives only: no GPU to find.
    var e = assertThrows(IllegalArgumentException.class, () -> Devices.parse("gpu:1"));
    assertTrue(
        e.getMessage().startsWith("--device gpu:1: this machine's PyTorch engine sees"),
        e.getMessage());
  }

  @Test
  void aBadFlagIsNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> Devices.parse("tpu"));
    assertEquals("--device tpu: use cpu, gpu or gpu:N", e.getMessage());
  }

  @Test
  void aMissingDriverIsNamedWithWhatToDo() {
    // What DJL throws when the CUDA libtorch loads but the driver's libcuda.so.1 is absent (the
    // GPU worker image started without --gpus), as seen with PyPI's torch==2.7.1.
    var e =
        new EngineException(
            "Failed to load PyTorch native library",
            new UnsatisfiedLinkError(
                "/opt/torch/torch/lib/libcaffe2_nvrtc.so: libcuda.so.1: cannot open shared object"
                    + " file: No such file or directory"));
    String m = Devices.notLoaded("gpu", e, "/opt/torch/torch/lib");
    assertTrue(
        m.startsWith(
            "--device gpu: PyTorch's native library did not load from"
                + " PYTORCH_LIBRARY_PATH=/opt/torch/torch/lib: /opt/torch/torch/lib/libcaffe2_nvrtc.so:"
                + " libcuda.so.1: cannot open"),
        m);
    assertTrue(m.contains("NVIDIA driver") && m.contains("--gpus 1"), m);
  }

  @Test
  void anotherLoadFailureIsNamedWithoutTheDriverAdvice() {
    var e =
        new EngineException(
            "Failed to load PyTorch native library",
            new UnsatisfiedLinkError("libtorch_cpu.so: undefined symbol: _ZN3c10"));
    String m = Devices.notLoaded("gpu:0", e, null);
    assertEquals(
        "--device gpu:0: PyTorch's native library did not load: libtorch_cpu.so: undefined symbol:"
            + " _ZN3c10",
        m);
    assertFalse(m.contains("NVIDIA"), m);
  }
}
