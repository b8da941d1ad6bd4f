package dev.thaw.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.thaw.trial.FreezeDepth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParameterCodecTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "freeze_depth: {value: all}            | true",
        "freeze_depth: {values: [1, all]}      | true",
        "freeze_depth: {values: [0, 2]}        | false",
        "freeze_depth: {value: 3}              | false",
        "freeze_depth: {distribution: int_uniform, min: 0, max: 4} | false",
        "dropout: {value: 0.1}                 | false",
      })
  void freezingAllNeedsTheGroupCountOnlyWhenTheWordCanComeUp(String parameter, boolean all) {
    assertEquals(all, ParameterCodec.mayFreezeAll(TrialSpecsTest.sweep(parameter).searchSpace()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {"freeze_depth: {value: all} | 6", "freeze_depth: {value: 2} | 2"})
  void aPointsFreezeDepthResolvesAllToTheGroupCount(String parameter, int groups) {
    SweepSpec sweep = TrialSpecsTest.sweep(parameter);
    assertEquals(
        FreezeDepth.of(groups), ParameterCodec.freezeDepth(TrialSpecsTest.middle(sweep), 6));
  }
}
