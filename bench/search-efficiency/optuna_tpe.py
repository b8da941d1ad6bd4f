"""Optuna's TPESampler on search-efficiency's synthetic objective: the reference row.

Reads one JSON file written by SearchEfficiency (Java): the seeds, the trial limit, the target,
the observation noise of every (seed, trial) and a few configurations with their accuracy as Java
computes it. The objective is written out again here, so this script first checks it against those
configurations and refuses to run if they differ. Prints one line per seed,
``seed S trials T`` (T = -1 when the target was not reached), then ``optuna VERSION``.
"""

import json
import math
import sys
import warnings

import optuna

BATCH_SIZES = [16, 32, 64, 128]
BATCH_EFFECT = {16: -0.004, 32: 0.0, 64: -0.002, 128: -0.010}
DEPTH_GAIN = [0.050, 0.070, 0.065, 0.045, 0.0]


def accuracy(freeze_depth, lr_head, lr_backbone, dropout, batch_size):
    """The same surface as SearchEfficiency.accuracy (see bench/search-efficiency/README.md)."""
    trainable = (4 - freeze_depth) / 4.0
    zh = (math.log10(lr_head) + 2.5) / 1.5
    head = 0.12 * (1 - math.exp(-0.5 * zh * zh))
    zb = (math.log10(lr_backbone) + 4.0) / 1.5
    fit = math.exp(-0.5 * zb * zb)
    backbone = DEPTH_GAIN[freeze_depth] * fit - trainable * 0.15 * (1 - fit)
    zd = (dropout - 0.2) / 0.3
    drop = 0.02 * zd * zd
    return 0.80 + backbone - head - drop + BATCH_EFFECT[batch_size]


def suggest(trial):
    return dict(
        freeze_depth=trial.suggest_int("freeze_depth", 0, 4),
        lr_head=trial.suggest_float("lr_head", 1e-4, 1e-1, log=True),
        lr_backbone=trial.suggest_float("lr_backbone", 1e-6, 1e-2, log=True),
        dropout=trial.suggest_float("dropout", 0.0, 0.5),
        batch_size=trial.suggest_categorical("batch_size", BATCH_SIZES),
    )


def trials_to_target(seed, target, max_trials, noise):
    sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    for n in range(1, max_trials + 1):
        trial = study.ask()
        truth = accuracy(**suggest(trial))
        if truth >= target:
            return n
        study.tell(trial, truth + noise[n - 1])
    return -1


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    for check in job["checks"]:
        mine = accuracy(**check["config"])
        if abs(mine - check["accuracy"]) > 1e-12:
            sys.exit(f"objective differs from Java's at {check['config']}: {mine} vs {check['accuracy']}")
    warnings.filterwarnings("ignore")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for seed in job["seeds"]:
        n = trials_to_target(seed, job["target"], job["max_trials"], job["noise"][str(seed)])
        print(f"seed {seed} trials {n}", flush=True)
    print(f"optuna {optuna.__version__}")


if __name__ == "__main__":
    main()
