package io.trainserve.service.instance;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /instances}: the live instances sharing this database, their heartbeat and running jobs. */
@RestController
class InstanceController {
    private final JdbcTemplate jdbc;
    private final InstanceId self;
    private final InstanceProperties properties;
    private final Clock clock;

    InstanceController(JdbcTemplate jdbc, InstanceId self, InstanceProperties properties, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.self = self;
        this.properties = properties;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    record InstanceView(String id, Instant startedAt, Instant heartbeatAt, int concurrency, List<String> runningJobs, boolean self) {
    }

    @GetMapping("/instances")
    List<InstanceView> list() {
        Instant liveSince = clock.instant().minus(InstanceHeartbeat.liveWithin(properties));
        Map<String, List<String>> running = new LinkedHashMap<>();
        jdbc.query("select id, worker from jobs where status = 'RUNNING' and worker is not null order by started_at",
                rs -> {
                    running.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(1));
                });
        return jdbc.query("select instance_id, started_at, heartbeat_at, concurrency from instances where heartbeat_at >= ? "
                        + "order by instance_id",
                (rs, n) -> new InstanceView(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(),
                        rs.getInt(4), running.getOrDefault(rs.getString(1), List.of()), rs.getString(1).equals(self.value())),
                Timestamp.from(liveSince));
    }
}
