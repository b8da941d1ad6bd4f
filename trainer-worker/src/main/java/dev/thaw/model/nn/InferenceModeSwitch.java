package dev.thaw.model.nn;

/**
 * A layer that behaves differently in training and can be held in inference mode while the rest of
 * the network trains: Thaw does so for the layers of frozen groups, which compute the same function
 * in every step and pass no gradient.
 */
public interface InferenceModeSwitch {
  /** Keeps the layer in inference mode (on) or lets it follow the training flag (off). */
  void useInferenceMode(boolean on);
}
