-- MLflow tracking: the server's id of each sweep's parent run (null when the sweep is not tracked
-- or the server has not created the run yet).
ALTER TABLE sweep ADD COLUMN mlflow_parent_run_id VARCHAR(64);
