package dev.thaw.bench;

/** One measured configuration of {@link LeaseThroughput}: a store, a load and its figures. */
record LeaseRow(
    String store,
    int workers,
    int pacedRate,
    int sweeps,
    int sweepsInWindow,
    double submitP50,
    int leases,
    double seconds,
    boolean exhausted,
    LatencySummary lease,
    LatencySummary idleGap,
    LatencySummary heartbeat,
    LatencySummary complete,
    double otherCores) {
  double leasesPerSecond() {
    return leases / seconds;
  }
}
