"""Prints the runs of one MLflow experiment as JSON, read through MLflow's own client.

Run inside the MLflow container (its venv has the client), by docker/test-stack:
    docker exec -i CONTAINER /opt/mlflow/bin/python - EXPERIMENT < docker/test/mlflow_runs.py
Output: {"runs": [{"run_id", "status", "parent", "tags": {...}}...]}, or {"missing": true} when
the experiment does not exist (yet).
"""

import json
import sys

import mlflow
from mlflow.tracking import MlflowClient

mlflow.set_tracking_uri("http://127.0.0.1:5000")
client = MlflowClient()
experiment = client.get_experiment_by_name(sys.argv[1])
if experiment is None:
    print(json.dumps({"missing": True}))
    sys.exit(0)
runs = []
for run in client.search_runs([experiment.experiment_id], max_results=1000):
    tags = run.data.tags
    runs.append(
        {
            "run_id": run.info.run_id,
            "status": run.info.status,
            "parent": tags.get("mlflow.parentRunId"),
            "tags": {k: v for k, v in tags.items() if k.startswith("thaw.")},
            "metrics": sorted(run.data.metrics),
        }
    )
print(json.dumps({"runs": runs}))
