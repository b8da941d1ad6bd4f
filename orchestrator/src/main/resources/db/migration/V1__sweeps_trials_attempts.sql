-- Thaw's store: sweeps, their trials, each trial's attempts (one lease each) and per-epoch metrics.
-- Portable SQL for H2 2.x and PostgreSQL 15: times are epoch milliseconds (BIGINT), ids are UUID
-- text, JSON is TEXT.

CREATE TABLE sweep (
    id                VARCHAR(36)  PRIMARY KEY,
    name              VARCHAR(200) NOT NULL,
    state             VARCHAR(20)  NOT NULL,   -- RUNNING, COMPLETED, FAILED, CANCELLED
    method            VARCHAR(20)  NOT NULL,
    objective_metric  VARCHAR(40)  NOT NULL,
    objective_goal    VARCHAR(10)  NOT NULL,   -- minimize | maximize
    objective_target  DOUBLE PRECISION,
    max_trials        INT          NOT NULL,
    parallel_trials   INT          NOT NULL,
    max_failed_trials INT          NOT NULL,
    retries           INT          NOT NULL,
    seed              BIGINT       NOT NULL,
    source_groups     INT          NOT NULL,   -- layer groups of the source model (freeze_depth: all)
    next_proposal     INT          NOT NULL DEFAULT 0,
    exhausted         BOOLEAN      NOT NULL DEFAULT FALSE,
    spec_yaml         TEXT         NOT NULL,
    created_at        BIGINT       NOT NULL,
    finished_at       BIGINT,
    stop_reason       VARCHAR(2000)
);
CREATE INDEX sweep_state ON sweep (state);

CREATE TABLE trial (
    id              VARCHAR(36)  PRIMARY KEY,
    sweep_id        VARCHAR(36)  NOT NULL REFERENCES sweep (id),
    number          INT          NOT NULL,
    proposal_index  INT          NOT NULL,
    grid_index      INT,
    config_hash     CHAR(64)     NOT NULL,
    params_json     TEXT         NOT NULL,   -- the point, canonical JSON
    spec_json       TEXT         NOT NULL,   -- the resolved TrialSpec
    state           VARCHAR(20)  NOT NULL,   -- QUEUED, RUNNING, COMPLETED, PRUNED, FAILED, CANCELLED
    attempts        INT          NOT NULL DEFAULT 0,
    stop_requested  VARCHAR(40),             -- pruned | cancelled | sweep_finished, while RUNNING
    objective       DOUBLE PRECISION,        -- best value of the sweep's metric over the epochs
    best_epoch      INT,
    epochs_done     INT          NOT NULL DEFAULT 0,
    result_json     TEXT,
    reason          VARCHAR(2000),           -- why it failed, was pruned or cancelled
    queued_at       BIGINT       NOT NULL,
    started_at      BIGINT,
    finished_at     BIGINT,
    CONSTRAINT trial_number UNIQUE (sweep_id, number),
    CONSTRAINT trial_config UNIQUE (sweep_id, config_hash)
);
CREATE INDEX trial_sweep_state ON trial (sweep_id, state, number);

CREATE TABLE attempt (
    id               VARCHAR(36)  PRIMARY KEY,   -- the lease id
    trial_id         VARCHAR(36)  NOT NULL REFERENCES trial (id),
    number           INT          NOT NULL,
    worker_id        VARCHAR(200) NOT NULL,
    host             VARCHAR(200),
    device           VARCHAR(60),
    state            VARCHAR(20)  NOT NULL,   -- ACTIVE, COMPLETED, FAILED, EXPIRED, CANCELLED
    lease_expires_at BIGINT       NOT NULL,
    started_at       BIGINT       NOT NULL,
    ended_at         BIGINT,
    reason           VARCHAR(2000),
    CONSTRAINT attempt_number UNIQUE (trial_id, number)
);
CREATE INDEX attempt_state_expiry ON attempt (state, lease_expires_at);

CREATE TABLE epoch_metric (
    trial_id           VARCHAR(36) NOT NULL REFERENCES trial (id),
    attempt            INT         NOT NULL,
    epoch              INT         NOT NULL,
    stage              VARCHAR(20) NOT NULL,
    train_loss         DOUBLE PRECISION,
    val_loss           DOUBLE PRECISION,
    val_accuracy       DOUBLE PRECISION,
    epoch_seconds      DOUBLE PRECISION,
    samples_per_second DOUBLE PRECISION,
    recorded_at        BIGINT      NOT NULL,
    PRIMARY KEY (trial_id, attempt, epoch)
);
