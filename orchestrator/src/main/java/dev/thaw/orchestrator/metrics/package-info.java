/**
 * The orchestrator's metrics, in Prometheus format at {@code /q/metrics} (Micrometer with its
 * Prometheus registry): leases ({@link LeaseMetrics}), workers ({@link WorkerMetrics}), sweeps and
 * the queue ({@link SweepMetrics}), the MLflow spool and schedules ({@link ChoreMetrics}). Every
 * metric, its type and labels: docs/metrics.md. Labels stay bounded: {@code sweep} only for the
 * running and recently ended sweeps ({@code thaw.metrics.max-sweeps}), {@code worker} only for the
 * workers heard from lately ({@code thaw.metrics.max-workers}); the others take a fixed set of
 * values.
 */
package dev.thaw.orchestrator.metrics;
