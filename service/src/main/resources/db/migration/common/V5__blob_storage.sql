-- Scale-out (issue 17): blobs addressed by keys (relative to the data directory on the filesystem adapter,
-- or rows of blob_chunks on the PostgreSQL adapter), the worker and attempts of a job, live instances,
-- and idempotency keys of POST /jobs and POST /datasets.

-- Bundles: a key such as bundles/<model>/v<N>.zip, never an absolute path. Rows written with an absolute
-- path (or a Windows separator) become the key relative to the data directory.
alter table model_versions rename column bundle_path to bundle_key;
update model_versions set bundle_key = replace(bundle_key, '\', '/');
update model_versions set bundle_key = substring(bundle_key from position('bundles/' in bundle_key))
    where bundle_key not like 'bundles/%' and position('bundles/' in bundle_key) > 0;

-- The instance that runs (or last ran) a job.
alter table jobs add column worker varchar(200);

-- Blob store rows (PostgreSQL adapter): a key points at one blob id; the bytes are 1 MiB chunks.
create table blobs (
    blob_key   varchar(500) not null primary key,
    blob_id    varchar(36)  not null unique,
    size_bytes bigint       not null,
    sha256     varchar(64)  not null,
    created_at timestamp(6) with time zone not null
);
create table blob_chunks (
    blob_id varchar(36) not null,
    seq     integer     not null,
    data    bytea       not null,
    primary key (blob_id, seq)
);

-- Instances sharing this database: each writes its heartbeat every few seconds.
create table instances (
    instance_id  varchar(200) not null primary key,
    started_at   timestamp(6) with time zone not null,
    heartbeat_at timestamp(6) with time zone not null,
    concurrency  integer      not null
);

-- A retried POST with the same Idempotency-Key returns the first result.
create table idempotency_keys (
    scope       varchar(16)  not null,
    idem_key    varchar(200) not null,
    resource_id varchar(100) not null,
    created_at  timestamp(6) with time zone not null,
    primary key (scope, idem_key)
);
