package dev.thaw.sweep.search;

/**
 * SplitMix64 (Steele, Lea and Flood 2014), written out so that seeded sequences depend on nothing
 * but this file: the same seed gives the same proposals on every JDK and machine. Not thread-safe;
 * strategies create one per proposal with {@link #forStream(long, long, long)}.
 */
final class SplitMix64 {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** Stream ids, so that strategies sharing a seed draw independent numbers. */
  static final long GRID_SHUFFLE = 1;

  static final long RANDOM = 2;
  static final long SOBOL_SHIFT = 3;
  static final long TPE = 4;

  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  /** A generator for one (seed, stream, index) triple, independent of every other triple. */
  static SplitMix64 forStream(long seed, long stream, long index) {
    return new SplitMix64(mix(mix(mix(seed) + stream * GOLDEN) + index * GOLDEN));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in [0, 1), 53 random bits. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), unbiased (rejection of the incomplete last block). */
  int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    int bits;
    int value;
    do {
      bits = (int) (nextLong() >>> 33);
      value = bits % bound;
    } while (bits - value + (bound - 1) < 0);
    return value;
  }
}
