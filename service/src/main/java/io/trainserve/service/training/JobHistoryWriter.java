package io.trainserve.service.training;

import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Appends a job's buffered epoch rows in one JDBC batch. Rows already stored (a resumed run replays the
 * epochs after its checkpoint) are skipped. Through JPA each row cost a look-up and a merge, and every
 * query flushed the growing persistence context: quadratic in the rows of one write.
 */
@Component
class JobHistoryWriter {
    private static final String INSERT = "insert into job_history (job_id, epoch, metrics_json, learning_rate, duration_millis, "
            + "samples_per_second, created_at) values (?, ?, ?, ?, ?, ?, ?)";
    private final JdbcTemplate jdbc;

    JobHistoryWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @param rows in epoch order; call inside the transaction that also records the job's progress */
    void append(String jobId, List<JobEpoch> rows) {
        if (rows.isEmpty()) return;
        Set<Integer> stored = new HashSet<>(jdbc.queryForList("select epoch from job_history where job_id = ? and epoch between ? and ?",
                Integer.class, jobId, rows.get(0).epoch(), rows.get(rows.size() - 1).epoch()));
        List<JobEpoch> fresh = rows.stream().filter(r -> !stored.contains(r.epoch())).toList();
        jdbc.batchUpdate(INSERT, fresh, 500, (ps, r) -> {
            ps.setString(1, jobId);
            ps.setInt(2, r.epoch());
            ps.setString(3, r.metricsJson());
            ps.setDouble(4, r.learningRate());
            ps.setLong(5, r.durationMillis());
            if (r.samplesPerSecond() == null) ps.setNull(6, java.sql.Types.DOUBLE);
            else ps.setDouble(6, r.samplesPerSecond());
            ps.setTimestamp(7, Timestamp.from(r.createdAt()));
        });
    }
}
