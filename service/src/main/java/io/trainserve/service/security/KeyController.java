package io.trainserve.service.security;

import io.trainserve.service.system.BadRequestException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** POST /keys (the secret is in this answer only), GET /keys (no secrets), DELETE /keys/{id}. Admin only. */
@RestController
@RequestMapping("/keys")
class KeyController {
    static final int MAX_NAME = 100;
    private final ApiKeys keys;
    private final Clock clock;

    KeyController(ApiKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    record KeyRequest(String name, String role, List<String> models, Instant expiresAt) {
    }

    record KeyView(String id, String name, String role, List<String> models, Instant createdAt, String createdBy,
                   Instant expiresAt, Instant lastUsedAt) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.id(), k.name(), k.role().id(), k.models().isEmpty() ? null : List.copyOf(k.models()), k.createdAt(),
                    k.createdBy(), k.expiresAt(), k.lastUsedAt());
        }
    }

    /** {@link KeyView} plus the secret. */
    record CreatedKey(String id, String name, String role, List<String> models, Instant createdAt, String createdBy,
                      Instant expiresAt, String key) {
    }

    @PostMapping
    ResponseEntity<CreatedKey> create(@RequestBody KeyRequest request) {
        String name = request.name() == null ? null : request.name().trim();
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            throw new BadRequestException("name", String.valueOf(request.name()), "a non-blank name of at most " + MAX_NAME + " characters");
        }
        Role role = Role.parse(request.role());
        Set<String> models = models(request.models(), role);
        if (request.expiresAt() != null && !request.expiresAt().isAfter(clock.instant())) {
            throw new BadRequestException("expiresAt", request.expiresAt().toString(), "a time in the future");
        }
        String createdBy = SecurityContextHolder.getContext().getAuthentication() instanceof KeyAuthentication k ? k.name() : "anonymous";
        ApiKeys.Created created = keys.create(name, role, models, request.expiresAt(), createdBy);
        KeyView v = KeyView.of(created.key());
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(v.id()).toUri();
        return ResponseEntity.created(location).body(new CreatedKey(v.id(), v.name(), v.role(), v.models(), v.createdAt(), v.createdBy(),
                v.expiresAt(), created.secret()));
    }

    @GetMapping
    List<KeyView> list() {
        return keys.active().stream().map(KeyView::of).toList();
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String id) {
        keys.revoke(id);
    }

    private static Set<String> models(List<String> models, Role role) {
        if (models == null || models.isEmpty()) return Set.of();
        if (role != Role.PREDICTOR) throw new BadRequestException("models", String.join(",", models), "only for role predictor");
        Set<String> ids = new LinkedHashSet<>();
        for (String m : models) {
            if (m == null || m.isBlank() || m.contains(",")) throw new BadRequestException("models", String.valueOf(m), "model ids (no commas)");
            ids.add(m.trim());
        }
        return ids;
    }
}
