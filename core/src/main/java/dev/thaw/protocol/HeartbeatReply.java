package dev.thaw.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What the worker does next.
 *
 * @param action continue, or stop now and report the result so far
 * @param reason why to stop, a {@link StopRequest#key()} ({@code pruned}, {@code cancelled}, {@code
 *     sweep_finished}), or null
 * @param leaseSeconds the lease's new remaining time
 */
public record HeartbeatReply(Action action, String reason, int leaseSeconds) {
  /** Continue training, or stop and complete with what is there. */
  public enum Action {
    CONTINUE,
    STOP;

    /** {@code continue} or {@code stop} on the wire. */
    @JsonValue
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Action parse(String key) {
      return valueOf(key.toUpperCase(Locale.ROOT));
    }
  }

  public static HeartbeatReply proceed(int leaseSeconds) {
    return new HeartbeatReply(Action.CONTINUE, null, leaseSeconds);
  }

  public static HeartbeatReply stop(StopRequest why, int leaseSeconds) {
    return new HeartbeatReply(Action.STOP, why.key(), leaseSeconds);
  }
}
