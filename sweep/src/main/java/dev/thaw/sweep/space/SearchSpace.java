package dev.thaw.sweep.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dimensions a sweep searches, by path (e.g. {@code dropout}, {@code lr_backbone.slice.lo}), in
 * sorted order so that every strategy sees the same, stable axis order.
 */
public record SearchSpace(Map<String, Domain> dimensions) {
  public SearchSpace {
    dimensions = Collections.unmodifiableMap(new TreeMap<>(dimensions));
  }

  /** Dimension names in axis order. */
  public List<String> names() {
    return new ArrayList<>(dimensions.keySet());
  }

  /** The domains in axis order. */
  public List<Domain> domains() {
    return new ArrayList<>(dimensions.values());
  }

  /** Number of grid points, or -1 if a dimension is continuous; saturates at Long.MAX_VALUE. */
  public long gridSize() {
    long size = 1;
    for (Domain d : dimensions.values()) {
      int n = d.gridSize();
      if (n < 0) {
        return -1;
      }
      if (n != 0 && size > Long.MAX_VALUE / n) {
        return Long.MAX_VALUE;
      }
      size *= n;
    }
    return size;
  }

  /** The point at unit-cube coordinates {@code u} (one per dimension, axis order). */
  public Point fromUnit(double[] u) {
    if (u.length != dimensions.size()) {
      throw new IllegalArgumentException(
          u.length + " coordinates for " + dimensions.size() + " dimensions");
    }
    Map<String, com.fasterxml.jackson.databind.JsonNode> values = new TreeMap<>();
    int i = 0;
    for (var e : dimensions.entrySet()) {
      values.put(e.getKey(), e.getValue().fromUnit(u[i++]));
    }
    return new Point(values);
  }
}
