package io.trainserve.service.system;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problem details with a stable {@code type} URI and {@code code}. */
public final class Problems {
    /** Base of every problem {@code type}; the code is appended. Documented in api-spec/openapi.yaml. */
    public static final String TYPE_BASE = "https://trainserve.io/problems/";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String code, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPE_BASE + code));
        p.setTitle(title);
        p.setProperty("code", code);
        return p;
    }

    /** Adds field/given/allowed, skipping nulls. */
    public static ProblemDetail withField(ProblemDetail p, String field, String given, String allowed) {
        if (field != null) p.setProperty("field", field);
        if (given != null) p.setProperty("given", given);
        if (allowed != null) p.setProperty("allowed", allowed);
        return p;
    }

    public static ProblemDetail withViolations(ProblemDetail p, List<Map<String, String>> violations) {
        p.setProperty("violations", violations);
        return p;
    }
}
