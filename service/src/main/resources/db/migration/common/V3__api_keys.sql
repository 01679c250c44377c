-- API keys (issue 15): only a SHA-256 of each secret is stored; the secret is shown once, at creation.
create table api_keys (
    id            varchar(36)  not null primary key,
    name          varchar(100) not null,
    role          varchar(16)  not null,            -- admin | trainer | predictor | metrics
    models        varchar(4000),                    -- comma-separated model ids a predictor key is limited to; null = all
    key_hash      varchar(64)  not null,            -- hex SHA-256 of the secret (256 random bits: a fast hash is enough)
    created_at    timestamp(6) with time zone not null,
    created_by    varchar(100) not null,
    expires_at    timestamp(6) with time zone,
    last_used_at  timestamp(6) with time zone,      -- written in batches, not per request
    revoked_at    timestamp(6) with time zone
);
create unique index api_keys_hash_idx on api_keys (key_hash);

-- Bumped on every revocation; each instance polls it (~500 ms) and drops its cache of verified keys when it moves.
create table key_revision (
    id        integer not null primary key,
    revision  bigint  not null
);
insert into key_revision (id, revision) values (1, 0);

-- Who (key name) did what and when: uploads, jobs, cancels, deletes, restores, alias moves, key changes.
create table audit_events (
    id            varchar(36)  not null primary key,
    at            timestamp(6) with time zone not null,
    actor         varchar(100) not null,
    actor_key_id  varchar(36),
    action        varchar(64)  not null,
    target        varchar(500)
);
create index audit_events_at_idx on audit_events (at);
