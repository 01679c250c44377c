-- Hyperparameter sweeps (issue 19). The sweep row holds the request and where the sweep stands; every trial is an
-- ordinary job (jobs.sweep_id), planned at creation (parameters) and queued as the sweep's driver steps it.
create table sweeps (
    id             varchar(36)  not null primary key,
    model_id       varchar(100) not null,
    status         varchar(16)  not null,            -- RUNNING | SUCCEEDED | FAILED | CANCELLED
    request_json   varchar(1000000) not null,        -- the request with defaults filled in (seed included)
    created_at     timestamp(6) with time zone not null,
    finished_at    timestamp(6) with time zone,
    trials_queued  integer      not null,            -- trials handed to the job queue so far
    best_job_id    varchar(36),
    model_version  integer,                          -- the version the best trial's model became
    error_code     varchar(64),
    error_message  varchar(4000),
    version        bigint       not null             -- optimistic lock: instances step a sweep one at a time
);
create index sweeps_status_idx on sweeps (status);

create table sweep_trials (
    sweep_id         varchar(36)  not null,
    trial            integer      not null,          -- 1-based, in the order trials are queued
    parameters_json  varchar(100000) not null,       -- {"<json path>": value, ...} as the request named them
    job_id           varchar(36),                    -- null until queued
    stopped_at_epoch integer,                        -- ASHA stopped the trial at this rung
    primary key (sweep_id, trial),
    constraint sweep_trials_sweep_fk foreign key (sweep_id) references sweeps (id) on delete cascade
);
create index sweep_trials_job_idx on sweep_trials (job_id);

-- A job that is a sweep's trial, and where its trained model waits (instead of becoming a version) until the sweep
-- publishes the best one.
alter table jobs add column sweep_id varchar(36);
alter table jobs add column parked_model_key varchar(500);
create index jobs_sweep_idx on jobs (sweep_id);
