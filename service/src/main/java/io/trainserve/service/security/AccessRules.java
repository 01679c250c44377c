package io.trainserve.service.security;

import static io.trainserve.service.security.Role.ADMIN;
import static io.trainserve.service.security.Role.METRICS;
import static io.trainserve.service.security.Role.PREDICTOR;
import static io.trainserve.service.security.Role.TRAINER;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Every path → role rule of the service, in one place; the first rule that matches decides. Admin may do
 * everything; a path no rule names is admin-only. api-spec/openapi.yaml lists the same roles per
 * operation as {@code x-roles}, and AccessMatrixTest proves the two agree.
 */
final class AccessRules {
    /** Reachable without a key: probes (status only), the web UI's static files, the API contract and Swagger UI. */
    static final List<String> PUBLIC = List.of("/actuator/health/liveness", "/actuator/health/readiness",
            "/", "/index.html", "/ui/**", "/webjars/**", "/favicon.ico",
            "/openapi.yaml", "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs/**", "/error");

    /**
     * @param modelScoped the path's {@code {id}} is a model id; a predictor key limited to some models is refused others
     */
    record Rule(RequestMatcher matcher, HttpMethod method, String pattern, Set<Role> roles, boolean modelScoped) {
        String allowed() {
            return roles.stream().map(Role::id).collect(Collectors.joining(", "));
        }
    }

    static final List<Rule> RULES = List.of(
            // monitoring: full health, Prometheus, metrics
            rule(GET, "/actuator/health/**", METRICS),
            rule(GET, "/actuator/prometheus", METRICS),
            rule(GET, "/actuator/metrics/**", METRICS),
            // predict and reads of models: predictor too (limited to its models if the key says so)
            scoped(POST, "/models/{id}/predict", TRAINER, PREDICTOR),
            rule(GET, "/models", TRAINER, PREDICTOR),
            scoped(GET, "/models/{id}", TRAINER, PREDICTOR),
            scoped(GET, "/models/{id}/versions/{version}", TRAINER, PREDICTOR),
            scoped(GET, "/models/{id}/versions/{version}/bundle", TRAINER, PREDICTOR),
            scoped(GET, "/models/{id}/versions/{version}/onnx", TRAINER, PREDICTOR),
            // KServe v2 protocol: server and model metadata, readiness, infer
            rule(GET, "/v2", TRAINER, PREDICTOR),
            rule(GET, "/v2/health/**", TRAINER, PREDICTOR),
            scoped(null, "/v2/models/{id}", TRAINER, PREDICTOR),
            scoped(null, "/v2/models/{id}/**", TRAINER, PREDICTOR),
            // training: datasets, jobs (and their events), the rest of models (restore, delete, aliases, evaluate), sweeps
            rule(null, "/datasets/**", TRAINER),
            rule(null, "/jobs/**", TRAINER),
            rule(null, "/models/**", TRAINER),
            rule(null, "/sweeps/**", TRAINER)
            // everything else, among them /keys/**, /audit and /instances/**: admin only
    );

    private static final Rule ADMIN_ONLY = new Rule(request -> true, null, "/**", EnumSet.of(ADMIN), false);

    private AccessRules() {
    }

    static void apply(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry http) {
        http.requestMatchers(PUBLIC.toArray(String[]::new)).permitAll();
        for (Rule rule : RULES) http.requestMatchers(rule.matcher()).access(manager(rule));
        http.anyRequest().access(manager(ADMIN_ONLY));
    }

    /** The rule deciding this request (public paths aside). */
    static Rule ruleFor(HttpServletRequest request) {
        for (Rule rule : RULES) {
            if (rule.matcher().matches(request)) return rule;
        }
        return ADMIN_ONLY;
    }

    /** Whether this key may reach the model named in the path (always, unless the rule is model-scoped and the key limited). */
    static boolean inScope(Rule rule, KeyAuthentication key, HttpServletRequest request) {
        if (!rule.modelScoped()) return true;
        String model = modelId(rule, request);
        return model == null || key.mayUseModel(model);
    }

    static String modelId(Rule rule, HttpServletRequest request) {
        return rule.matcher().matcher(request).getVariables().get("id");
    }

    private static AuthorizationManager<RequestAuthorizationContext> manager(Rule rule) {
        return (Supplier<? extends Authentication> who, RequestAuthorizationContext context) -> {
            AuthorizationResult denied = new AuthorizationDecision(false);
            if (!(who.get() instanceof KeyAuthentication key) || !rule.roles().contains(key.role())) return denied;
            if (rule.modelScoped() && !key.models().isEmpty()) {
                String model = context.getVariables().get("id");
                if (model != null && !key.mayUseModel(model)) return denied;
            }
            return new AuthorizationDecision(true);
        };
    }

    private static Rule rule(HttpMethod method, String pattern, Role... roles) {
        return make(method, pattern, false, roles);
    }

    private static Rule scoped(HttpMethod method, String pattern, Role... roles) {
        return make(method, pattern, true, roles);
    }

    private static Rule make(HttpMethod method, String pattern, boolean scoped, Role... roles) {
        EnumSet<Role> allowed = EnumSet.of(ADMIN);
        allowed.addAll(Arrays.asList(roles));
        RequestMatcher matcher = PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
        return new Rule(matcher, method, pattern, allowed, scoped);
    }
}
