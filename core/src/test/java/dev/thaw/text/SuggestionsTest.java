package dev.thaw.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> KEYS = List.of("batch_size", "dropout", "epochs", "lr_head");

  @Test
  void suggestsTheNearestKeyWithinTwoEdits() {
    assertEquals("; did you mean 'batch_size'?", Suggestions.didYouMean("batch_sise", KEYS));
    assertEquals("; did you mean 'epochs'?", Suggestions.didYouMean("epoch", KEYS));
  }

  @Test
  void suggestsByPrefixEitherWay() {
    assertEquals("lr_head", Suggestions.closest("lr_head_rate", KEYS).orElseThrow());
    assertEquals("dropout", Suggestions.closest("drop", KEYS).orElseThrow());
  }

  @Test
  void saysNothingWhenNothingIsClose() {
    assertEquals("", Suggestions.didYouMean("momentum", KEYS));
    assertEquals("", Suggestions.didYouMean("lr", KEYS));
  }
}
