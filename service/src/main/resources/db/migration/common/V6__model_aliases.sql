-- Named aliases of model versions (champion, canary, ...): PUT moves one atomically under the model's row lock.
create table model_aliases (
    model_id   varchar(100) not null,
    alias      varchar(64)  not null,
    version    integer      not null,
    updated_at timestamp(6) with time zone not null,
    primary key (model_id, alias),
    constraint model_aliases_model_fk foreign key (model_id) references models (id) on delete cascade
);

-- One counter bumped in the same transaction as every change to models, versions or aliases.
-- Each instance polls it (a one-row read) and reloads its serving catalog only when it moved.
create table registry_changes (
    id    integer not null primary key,
    stamp bigint  not null
);
insert into registry_changes (id, stamp) values (1, 0);
