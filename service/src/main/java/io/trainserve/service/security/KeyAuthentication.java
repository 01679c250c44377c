package io.trainserve.service.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A verified key: immutable and holding no secret, so one instance per cached key serves every request.
 *
 * @param models model ids a predictor key is limited to; empty = all
 */
record KeyAuthentication(String keyId, String name, Role role, Set<String> models,
                         List<GrantedAuthority> authorities) implements Authentication {

    KeyAuthentication(ApiKey key) {
        this(key.id(), key.name(), key.role(), Set.copyOf(key.models()), List.of(new SimpleGrantedAuthority(key.role().authority())));
    }

    boolean mayUseModel(String modelId) {
        return models.isEmpty() || models.contains(modelId);
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return authorities;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getDetails() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return name;
    }

    @Override
    public boolean isAuthenticated() {
        return true;
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        throw new IllegalArgumentException("a verified key stays verified");
    }

    @Override
    public String getName() {
        return name;
    }
}
