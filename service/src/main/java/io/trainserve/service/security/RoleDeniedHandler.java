package io.trainserve.service.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

/** 403 problem naming the roles the endpoint needs (or the models a limited predictor key may use). */
@Component
class RoleDeniedHandler implements AccessDeniedHandler {
    private final ProblemWriter problems;

    RoleDeniedHandler(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        AccessRules.Rule rule = AccessRules.ruleFor(request);
        Map<String, String> extra = new LinkedHashMap<>();
        String detail;
        if (SecurityContextHolder.getContext().getAuthentication() instanceof KeyAuthentication key
                && rule.roles().contains(key.role()) && !AccessRules.inScope(rule, key, request)) {
            String model = AccessRules.modelId(rule, request);
            detail = "the key '" + key.name() + "' may use only the models " + String.join(", ", key.models()) + ", not '" + model + "'";
            extra.put("field", "models");
            extra.put("given", model);
            extra.put("allowed", String.join(", ", key.models()));
        } else {
            String role = SecurityContextHolder.getContext().getAuthentication() instanceof KeyAuthentication key ? key.role().id() : "none";
            detail = request.getMethod() + " " + request.getRequestURI() + " needs role " + rule.allowed().replace(", ", " or ")
                    + "; this key has role " + role;
            extra.put("field", "role");
            extra.put("given", role);
            extra.put("allowed", rule.allowed());
        }
        problems.write(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail, extra);
    }
}
