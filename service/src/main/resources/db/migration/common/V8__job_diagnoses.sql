-- The training doctor's findings on a finished job (issue 19), a JSON list of {code, severity, evidence, advice}.
alter table jobs add column diagnoses_json varchar(100000);
