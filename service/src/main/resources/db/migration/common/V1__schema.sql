-- trainserve schema, portable between H2 2.x and PostgreSQL.
-- JSON documents (schemas, specs, metrics) are stored as text; the service reads and writes them whole.

create table datasets (
    id            varchar(36)  not null primary key,
    name          varchar(200) not null,
    format        varchar(8)   not null,            -- CSV | IDX
    row_count     bigint       not null,
    columns_json  varchar(1000000) not null,        -- per-column type and statistics
    shape_json    varchar(200) not null,            -- e.g. [8, 3] for a table, [60000, 28, 28] for images
    classes_json  varchar(100000),                  -- class names when known at upload (IDX labels)
    size_bytes    bigint       not null,
    sha256        varchar(64)  not null,
    created_at    timestamp(6) with time zone not null
);

create table jobs (
    id                    varchar(36)  not null primary key,
    model_id              varchar(100) not null,
    dataset_id            varchar(36)  not null,
    validation_dataset_id varchar(36),
    test_dataset_id       varchar(36),
    status                varchar(16)  not null,
    spec_json             varchar(1000000) not null,
    created_at            timestamp(6) with time zone not null,
    started_at            timestamp(6) with time zone,
    finished_at           timestamp(6) with time zone,
    attempts              integer      not null,
    cancel_requested      boolean      not null,
    epoch                 integer,
    epochs                integer,
    step                  integer,
    steps_per_epoch       integer,
    progress              double precision,
    eta_seconds           double precision,
    learning_rate         double precision,
    metrics_json          varchar(100000),
    stopped_early         boolean,
    best_epoch            integer,
    error_code            varchar(64),
    error_message         varchar(4000),
    model_version         integer,
    test_metrics_json     varchar(1000000),
    progress_updated_at   timestamp(6) with time zone,
    version               bigint       not null
);
create index jobs_status_idx on jobs (status);
create index jobs_model_idx on jobs (model_id);
create index jobs_dataset_idx on jobs (dataset_id);

-- One row per finished epoch.
create table job_history (
    job_id             varchar(36) not null,
    epoch              integer     not null,
    metrics_json       varchar(100000) not null,
    learning_rate      double precision not null,
    duration_millis    bigint      not null,
    samples_per_second double precision,
    created_at         timestamp(6) with time zone not null,
    primary key (job_id, epoch),
    constraint job_history_job_fk foreign key (job_id) references jobs (id) on delete cascade
);

-- Model registry: every successful job adds version N+1 of its model id.
create table models (
    id             varchar(100) not null primary key,
    created_at     timestamp(6) with time zone not null,
    latest_version integer      not null,
    version        bigint       not null
);

create table model_versions (
    model_id          varchar(100) not null,
    version           integer      not null,
    job_id            varchar(36),
    created_at        timestamp(6) with time zone not null,
    metrics_json      varchar(100000),
    test_metrics_json varchar(1000000),
    summary_json      varchar(1000000),
    bundle_path       varchar(1000) not null,
    bundle_sha256     varchar(64)  not null,
    bundle_size_bytes bigint       not null,
    primary key (model_id, version),
    constraint model_versions_model_fk foreign key (model_id) references models (id) on delete cascade
);
