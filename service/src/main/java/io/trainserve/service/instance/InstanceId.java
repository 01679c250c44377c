package io.trainserve.service.instance;

import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * This instance's id: {@code trainserve.instance-id} (env {@code TRAINSERVE_INSTANCE_ID}), default
 * {@code <host name>:<server.port>}. It is the db-scheduler's name, so the {@code worker} of a job and
 * the {@code picked_by} of its execution are this id.
 */
@Component
public class InstanceId implements DbSchedulerCustomizer {
    private final String value;

    InstanceId(Environment env) {
        String configured = env.getProperty("trainserve.instance-id");
        this.value = configured != null && !configured.isBlank() ? configured.trim()
                : host() + ":" + env.getProperty("server.port", "8080");
    }

    public String value() {
        return value;
    }

    @Override
    public Optional<SchedulerName> schedulerName() {
        return Optional.of(new SchedulerName.Fixed(value));
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
