package io.trainserve.service.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/** The secret of an {@code Authorization: Bearer} header, not yet verified. Its toString never shows the secret. */
final class BearerKey extends AbstractAuthenticationToken {
    private static final String SCHEME = "bearer ";
    private final transient String secret;

    BearerKey(String secret) {
        super(List.of());
        this.secret = secret;
    }

    String secret() {
        return secret;
    }

    @Override
    public Object getCredentials() {
        return "[PROTECTED]";
    }

    @Override
    public Object getPrincipal() {
        return "bearer key";
    }

    @Override
    public String toString() {
        return "BearerKey[PROTECTED]";
    }

    /** Reads the header; null (anonymous) when there is none or it is not a bearer header. */
    static final AuthenticationConverter CONVERTER = (HttpServletRequest request) -> {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) return null;
        return new BearerKey(header.substring(SCHEME.length()).trim());
    };
}
