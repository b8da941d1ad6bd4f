package dev.thaw.trial;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * How many of the source model's layer groups stay frozen: a depth of k freezes g0..g(k-1), the
 * head always trains. Either a number of groups ({@link #of}) or all n of them ({@link #all}, what
 * a sweep's {@code freeze_depth: all} resolves to once the source model's n is known). A trial spec
 * always holds the resolved number, written in JSON as that integer.
 *
 * <p>The range is not checked here: {@link TrialSpecValidator} reports a depth outside [0, n] with
 * the trial's other errors.
 *
 * @param groups k, the number of frozen groups
 */
@JsonDeserialize(using = FreezeDepth.Reader.class)
public record FreezeDepth(int groups) {
  /** Nothing frozen: every group trains (a trial's default). */
  public static final FreezeDepth NONE = new FreezeDepth(0);

  /** The first {@code groups} layer groups frozen. */
  public static FreezeDepth of(int groups) {
    return new FreezeDepth(groups);
  }

  /** All {@code groupCount} layer groups of a source model frozen: only the head trains. */
  public static FreezeDepth all(int groupCount) {
    return new FreezeDepth(groupCount);
  }

  /** Whether layer group {@code g} (0-based) stays frozen. */
  public boolean freezes(int g) {
    return g < groups;
  }

  /** The JSON form: the integer k. */
  @JsonValue
  int json() {
    return groups;
  }

  /**
   * Reads the integer k exactly as an {@code Integer} field is read (same coercions, same error
   * messages); JSON null never gets here, so it stays null and the trial spec applies its default.
   * A {@code @JsonCreator} taking an {@code Integer} would be bound as an int creator instead, and
   * refuse {@code 2.5} that an {@code Integer} field reads as 2.
   */
  static final class Reader extends StdDeserializer<FreezeDepth> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(FreezeDepth.class);
    }

    @Override
    public FreezeDepth deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Integer groups = ctxt.readValue(p, Integer.class);
      return groups == null ? null : new FreezeDepth(groups);
    }
  }

  /** The number k, as in run names and stored params. */
  @Override
  public String toString() {
    return Integer.toString(groups);
  }
}
