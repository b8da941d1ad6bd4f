"""What docker/test-stack asserts about a finished sweep, as plain functions over JSON.

    python3 check_stack.py trials SWEEP_DETAIL.json KILLED_TRIAL_ID
        every trial completed exactly once; the killed worker's trial took a second attempt
    python3 check_stack.py mlflow SWEEP_DETAIL.json KILLED_TRIAL_ID RUNS.json
        one FINISHED parent run for the sweep; under it exactly one FINISHED child run per trial
        (with its metrics), and the killed attempt's child ended FAILED as lost
Prints what is wrong and exits 1, or prints a one-line summary and exits 0.
"""

import json
import sys


def trial_problems(detail, killed):
    problems = []
    sweep = detail["sweep"]
    trials = detail["trials"]
    if sweep["state"] != "completed":
        problems.append(f"sweep state {sweep['state']}, not completed")
    if len(trials) != sweep["max_trials"]:
        problems.append(f"{len(trials)} trials, the sweep has max_trials {sweep['max_trials']}")
    for t in trials:
        if t["state"] != "completed":
            problems.append(f"trial {t['number']} is {t['state']} ({t.get('reason')})")
        if t.get("objective") is None:
            problems.append(f"trial {t['number']} has no objective (no result)")
    counts = sweep["counts"]
    if counts.get("completed") != len(trials):
        problems.append(f"counts {counts}: not one completed result per trial")
    by_id = {t["id"]: t for t in trials}
    if killed not in by_id:
        problems.append(f"the killed worker's trial {killed} is not in the sweep")
    elif by_id[killed]["attempts"] < 2:
        problems.append(
            f"the killed worker's trial {killed} ran {by_id[killed]['attempts']} attempt(s):"
            " its lease was not taken over"
        )
    return problems


def mlflow_problems(detail, killed, runs):
    if runs.get("missing"):
        return ["no MLflow experiment for the sweep"]
    sweep_id = detail["sweep"]["id"]
    runs = runs["runs"]
    parents = [r for r in runs if r["parent"] is None and r["tags"].get("thaw.sweep_id") == sweep_id
               and "thaw.trial_id" not in r["tags"]]
    if len(parents) != 1:
        return [f"{len(parents)} parent runs for sweep {sweep_id}, expected 1"]
    parent = parents[0]
    problems = []
    if parent["status"] != "FINISHED":
        problems.append(f"parent run {parent['run_id']} is {parent['status']}")
    children = [r for r in runs if r["parent"] == parent["run_id"]]
    for t in detail["trials"]:
        mine = [r for r in children if r["tags"].get("thaw.trial_id") == t["id"]]
        finished = [r for r in mine if r["status"] == "FINISHED"]
        if len(finished) != 1:
            problems.append(f"trial {t['number']}: {len(finished)} FINISHED child runs, expected 1")
        elif "val_accuracy" not in finished[0]["metrics"]:
            problems.append(f"trial {t['number']}: its child run has no val_accuracy")
        if t["id"] == killed:
            lost = [r for r in mine if r["status"] == "FAILED"
                    and r["tags"].get("thaw.outcome") == "lost"]
            if len(lost) != 1:
                states = [(r["status"], r["tags"].get("thaw.outcome")) for r in mine]
                problems.append(
                    f"killed trial {t['number']}: expected one FAILED child run tagged"
                    f" thaw.outcome=lost, runs are {states}"
                )
    return problems


def main(argv):
    with open(argv[2]) as f:
        detail = json.load(f)
    killed = argv[3]
    if argv[1] == "trials":
        problems = trial_problems(detail, killed)
        summary = f"{len(detail['trials'])} trials completed once each; the killed one took over"
    elif argv[1] == "mlflow":
        with open(argv[4]) as f:
            runs = json.load(f)
        problems = mlflow_problems(detail, killed, runs)
        summary = f"MLflow: one parent run, one FINISHED child per trial, the lost attempt FAILED"
    else:
        raise SystemExit(f"unknown check {argv[1]!r} (trials, mlflow)")
    if problems:
        print("; ".join(problems))
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
