-- Scheduled sweeps: one schedule per scheduled sweep file (by sweep name), a row per firing, and
-- the link from a sweep to the schedule it is an execution of. Quartz's own tables (the triggers
-- that fire schedules) are in V4, per database under db/quartz/{h2,postgresql}.

CREATE TABLE sweep_schedule (
    id                   VARCHAR(36)      PRIMARY KEY,
    name                 VARCHAR(200)     NOT NULL,   -- the sweep's name; one schedule per name
    cron                 VARCHAR(120)     NOT NULL,   -- Quartz cron, seconds first
    time_zone            VARCHAR(80)      NOT NULL,   -- IANA id
    overlap              VARCHAR(10)      NOT NULL,   -- SKIP, QUEUE, CANCEL
    warm_start           INT              NOT NULL,   -- previous best configurations re-run first
    regression_threshold DOUBLE PRECISION NOT NULL,   -- allowed drop of the best objective
    spec_yaml            TEXT             NOT NULL,
    origin               VARCHAR(1000)    NOT NULL,   -- where the file came from
    paused               BOOLEAN          NOT NULL DEFAULT FALSE,
    created_at           BIGINT           NOT NULL,
    updated_at           BIGINT           NOT NULL,
    CONSTRAINT sweep_schedule_name UNIQUE (name)
);

CREATE TABLE schedule_firing (
    id            VARCHAR(36)   PRIMARY KEY,
    schedule_id   VARCHAR(36)   NOT NULL REFERENCES sweep_schedule (id),
    fired_at      BIGINT        NOT NULL,
    scheduled_for BIGINT,                   -- the cron time it stands for; null when by hand
    outcome       VARCHAR(20)   NOT NULL,   -- STARTED, SKIPPED, QUEUED, FAILED
    sweep_id      VARCHAR(36),              -- the execution it started
    message       VARCHAR(2000)
);
CREATE INDEX schedule_firing_schedule ON schedule_firing (schedule_id, fired_at);

-- A sweep started by a schedule: its schedule and execution number (1, 2, ...).
ALTER TABLE sweep ADD COLUMN schedule_id VARCHAR(36);
ALTER TABLE sweep ADD COLUMN execution INT;
ALTER TABLE sweep ADD CONSTRAINT sweep_schedule_fk FOREIGN KEY (schedule_id) REFERENCES sweep_schedule (id);
ALTER TABLE sweep ADD CONSTRAINT sweep_execution UNIQUE (schedule_id, execution);
