package dev.thaw.sweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DomainTest {

  @Test
  void toUnitInvertsFromUnit() {
    List<Domain> domains =
        List.of(
            new Domain.Uniform(0.0, 0.5, null),
            new Domain.Uniform(0.05, 0.45, 0.1),
            new Domain.LogUniform(1e-6, 1e-2, null),
            new Domain.IntUniform(0, 8, 2L),
            new Domain.Categorical(List.of(IntNode.valueOf(16), TextNode.valueOf("x"))));
    for (Domain d : domains) {
      for (int i = 0; i < 50; i++) {
        double u = (i + 0.37) / 50;
        JsonNode v = d.fromUnit(u);
        JsonNode back = d.fromUnit(d.toUnit(v));
        assertEquals(v.asText(), back.asText(), d + " at " + u);
        double t = d.toUnit(v);
        assertEquals(true, t >= 0 && t <= 1, d + ": " + t);
      }
    }
  }

  @Test
  void toUnitValues() {
    assertEquals(0.5, new Domain.Fixed(TextNode.valueOf("a")).toUnit(TextNode.valueOf("a")));
    var cat = new Domain.Categorical(List.of(IntNode.valueOf(16), IntNode.valueOf(32)));
    assertEquals(0.75, cat.toUnit(LongNode.valueOf(32)), "an int and a long 32 are one value");
    assertEquals(
        0.5, new Domain.LogUniform(1e-4, 1e-2, null).toUnit(DoubleNode.valueOf(1e-3)), 1e-12);
    assertEquals(0.9, new Domain.IntUniform(0, 4, null).toUnit(LongNode.valueOf(4)), 1e-12);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> cat.toUnit(IntNode.valueOf(64)));
    assertEquals("64 is not one of the values [16, 32]", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Domain.Uniform(0, 1, null).toUnit(TextNode.valueOf("a")));
  }

  @Test
  void quantisedUniformGridHasNoDuplicatesWhenMinIsOffTheStep() {
    Domain.Uniform d = new Domain.Uniform(0.05, 0.45, 0.1);
    Set<Double> values = new HashSet<>();
    for (int i = 0; i < d.gridSize(); i++) {
      values.add(d.gridValue(i).doubleValue());
    }
    assertEquals(Set.of(0.05, 0.15, 0.25, 0.35, 0.45), values);
  }

  @Test
  void hugeGridSaturates() {
    var big = new Domain.IntUniform(0, 2_000_000_000L, null);
    assertEquals(
        Long.MAX_VALUE, new SearchSpace(java.util.Map.of("a", big, "b", big, "c", big)).gridSize());
  }
}
