/**
 * The wire contract between workers and the orchestrator (JSON over HTTP, snake_case keys, {@code
 * /api/v1}). A worker pulls: it leases a trial, heartbeats with the epochs it finished (the reply
 * says continue or stop), and completes or fails the trial. Every call names the lease; a lease
 * that expired and was handed to someone else is answered with HTTP 409 and the worker drops the
 * trial. {@code complete?next=true} also leases the next trial to the same worker in the same call
 * (an orchestrator without it answers 204: lease as usual). A stopping worker hands its trial back,
 * which queues it again without using a retry (an orchestrator without {@code hand-back} answers
 * 404, and the worker reports a retryable failure instead). A heartbeat may carry the worker's own
 * figures for the orchestrator's metrics (optional fields, see {@link
 * dev.thaw.protocol.Heartbeat}).
 *
 * <pre>
 * POST /api/v1/leases                      LeaseRequest  -> 200 Lease | 204 (no trial ready)
 * POST /api/v1/leases/{lease_id}/heartbeat Heartbeat     -> 200 HeartbeatReply | 409 ApiError
 * POST /api/v1/leases/{lease_id}/complete  TrialResult   -> 204 | 409 ApiError
 * POST /api/v1/leases/{lease_id}/complete?next=true
 *                                          TrialResult   -> 200 Lease | 204 (no trial ready) | 409
 * POST /api/v1/leases/{lease_id}/fail      Failure       -> 204 | 409 ApiError
 * POST /api/v1/leases/{lease_id}/hand-back HandBack      -> 204 | 409 ApiError
 * </pre>
 */
package dev.thaw.protocol;
