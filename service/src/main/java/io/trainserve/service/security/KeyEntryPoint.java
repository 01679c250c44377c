package io.trainserve.service.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;

/** 401 problem with {@code WWW-Authenticate: Bearer}: no key, or a key that is unknown, expired or revoked. */
@Component
class KeyEntryPoint implements AuthenticationEntryPoint {
    private final ProblemWriter problems;

    KeyEntryPoint(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        boolean badKey = e instanceof BadCredentialsException || e instanceof CredentialsExpiredException;
        String detail = badKey ? e.getMessage() + "; send a valid key as 'Authorization: Bearer <key>'"
                : "this endpoint needs an API key: send 'Authorization: Bearer <key>'";
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, badKey ? "Bearer error=\"invalid_token\"" : "Bearer");
        problems.write(response, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail,
                Map.of("field", "Authorization"));
    }
}
