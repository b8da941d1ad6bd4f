package dev.thaw.model.zoo;

/** Whether set-up fetched the packaged files ({@code ./thaw models fetch}); tests need them. */
public final class PackagedFiles {
  private PackagedFiles() {}

  /** True when both zoo models' weights are in place. */
  public static boolean zooWeightsPresent() {
    return ZooSource.MOBILENET_V2.weights().isPresent()
        && ZooSource.EFFICIENTNET_LITE0.weights().isPresent();
  }
}
