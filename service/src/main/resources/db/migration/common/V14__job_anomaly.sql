-- An anomaly job's fitted threshold (issue 21, "task": "anomaly"): JSON {threshold, quantile}, set when the run ends.
alter table jobs add column anomaly_json varchar(1000);
