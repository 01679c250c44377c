package io.trainserve.service.security;

import io.trainserve.service.system.BadRequestException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a key may do. Which paths each role reaches is decided in one place: {@link AccessRules}. */
public enum Role {
    /** everything, including keys and the audit log */
    ADMIN,
    /** datasets, jobs, models (read, restore, delete, aliases) and predict */
    TRAINER,
    /** predict and read models, optionally only listed model ids */
    PREDICTOR,
    /** scrape /actuator/prometheus, /actuator/metrics and full health */
    METRICS;

    /** The name in the API and in openapi.yaml's {@code x-roles}: lowercase. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    String authority() {
        return "ROLE_" + name();
    }

    static Role parse(String value) {
        for (Role r : values()) {
            if (r.id().equals(value)) return r;
        }
        throw new BadRequestException("role", String.valueOf(value), allowed());
    }

    static String allowed() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
    }
}
