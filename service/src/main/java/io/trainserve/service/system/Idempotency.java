package io.trainserve.service.system;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code Idempotency-Key} of a POST: the first request with a key creates the resource and records its id;
 * a retry with the same key (on any instance) gets that resource back instead of a duplicate. Keys are
 * kept per scope ({@code jobs}, {@code datasets}).
 */
@Component
public class Idempotency {
    public static final String HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
    private final JdbcTemplate jdbc;
    private final Clock clock;

    Idempotency(JdbcTemplate jdbc, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** The outcome of an idempotent create: the resource and whether this request created it. */
    public record Outcome<T>(T resource, boolean created) {
    }

    /**
     * Runs {@code create} once per key: returns the earlier resource (looked up by id with {@code find}) when the
     * key was used before. {@code create} returns the new resource and its id; {@code undo} removes a resource
     * created by a request that lost a race with another request carrying the same key.
     */
    public <T> Outcome<T> once(String scope, String key, Supplier<T> create, Function<T, String> idOf, Function<String, T> find,
                               java.util.function.Consumer<T> undo) {
        if (key == null) return new Outcome<>(create.get(), true);
        check(key);
        Optional<String> earlier = lookup(scope, key);
        if (earlier.isPresent()) return new Outcome<>(find.apply(earlier.get()), false);
        T created = create.get();
        try {
            jdbc.update("insert into idempotency_keys (scope, idem_key, resource_id, created_at) values (?, ?, ?, ?)",
                    scope, key, idOf.apply(created), Timestamp.from(clock.instant()));
            return new Outcome<>(created, true);
        } catch (DataIntegrityViolationException raced) {
            undo.accept(created);
            return new Outcome<>(find.apply(lookup(scope, key).orElseThrow(() -> raced)), false);
        }
    }

    private Optional<String> lookup(String scope, String key) {
        List<String> ids = jdbc.queryForList("select resource_id from idempotency_keys where scope = ? and idem_key = ?",
                String.class, scope, key);
        return ids.stream().findFirst();
    }

    private static void check(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new BadRequestException(HEADER, key.length() > 60 ? key.substring(0, 60) + "..." : key.replaceAll("\\p{Cntrl}", "?"),
                    "1 to 200 visible ASCII characters (e.g. a UUID)");
        }
    }
}
