package io.trainserve.service.security;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The audit log: who (the calling key's name) did what and when. A feature records an event with one
 * call after the change succeeded, e.g. {@code audit.record("dataset.delete", id)}; the actor comes from
 * the request's verified key ({@code anonymous} when security is off, {@code system} outside a request).
 */
@Component
public class Audit {
    private final JdbcClient jdbc;
    private final Clock clock;

    Audit(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * @param action a dotted verb such as {@code dataset.upload}, {@code job.cancel}, {@code model.alias.set}
     * @param target what it acted on (an id, or {@code model/version}); no secrets
     */
    public void record(String action, String target) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        String actor = who instanceof KeyAuthentication k ? k.name() : who == null ? "system" : "anonymous";
        String keyId = who instanceof KeyAuthentication k ? k.keyId() : null;
        jdbc.sql("insert into audit_events (id, at, actor, actor_key_id, action, target) values (?, ?, ?, ?, ?, ?)")
                .params(UUID.randomUUID().toString(), ApiKeyStore.time(clock.instant()), actor, keyId, action,
                        target == null || target.length() <= 500 ? target : target.substring(0, 500))
                .update();
    }

    /** One event, as GET /audit shows it. */
    record Event(Instant at, String actor, String actorKeyId, String action, String target) {
    }

    /** Newest first, optionally only one action or one actor. */
    List<Event> recent(int limit, String action, String actor) {
        StringBuilder sql = new StringBuilder("select at, actor, actor_key_id, action, target from audit_events where 1 = 1");
        List<Object> params = new ArrayList<>();
        if (action != null) {
            sql.append(" and action = ?");
            params.add(action);
        }
        if (actor != null) {
            sql.append(" and actor = ?");
            params.add(actor);
        }
        sql.append(" order by at desc, id fetch first ").append(limit).append(" rows only");
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> new Event(ApiKeyStore.instant(rs, "at"), rs.getString("actor"),
                rs.getString("actor_key_id"), rs.getString("action"), rs.getString("target"))).list();
    }
}
