package io.trainserve.service.security;

import io.trainserve.service.system.DataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * At start: {@code TRAINSERVE_ADMIN_KEY} becomes an admin key and {@code trainserve.security.metrics-key} a
 * metrics key (if not stored yet); without an admin key, a first start on a database with no other keys creates an admin key and writes it to {@code <data-dir>/admin.key}
 * (owner read/write only). Only the file's path is logged, never a secret.
 */
@Component
class AdminKeyBootstrap implements SmartInitializingSingleton {
    static final String FILE = "admin.key";
    static final String ENV_KEY_NAME = "admin (TRAINSERVE_ADMIN_KEY)";
    static final String METRICS_KEY_NAME = "metrics (trainserve.security.metrics-key)";
    private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);
    private final SecuritySettings settings;
    private final ApiKeyStore store;
    private final ApiKeys keys;
    private final DataDir dataDir;

    AdminKeyBootstrap(SecuritySettings settings, ApiKeyStore store, ApiKeys keys, DataDir dataDir) {
        this.settings = settings;
        this.store = store;
        this.keys = keys;
        this.dataDir = dataDir;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!settings.enabled()) return;
        if (settings.metricsKey() != null) fromEnvironment(settings.metricsKey(), METRICS_KEY_NAME, Role.METRICS);
        if (settings.adminKey() != null) {
            fromEnvironment(settings.adminKey(), ENV_KEY_NAME, Role.ADMIN);
        } else if (store.countExcept(Role.METRICS) == 0) {
            Path file = dataDir.root().resolve(FILE);
            write(file, keys.create("admin (first start)", Role.ADMIN, Set.of(), null, "system").secret());
            log.info("Created the first admin key and wrote it to {} (readable by this user only). "
                    + "Send it as 'Authorization: Bearer <key>'; create other keys with POST /keys.", file);
        }
    }

    private void fromEnvironment(String secret, String name, Role role) {
        var stored = store.findByHash(KeySecrets.hash(secret));
        if (stored.isPresent()) {
            if (stored.get().revokedAt() != null) {
                log.warn("The key '{}' given at start was revoked at {}; it is refused. Set another one.", name, stored.get().revokedAt());
            }
            return;
        }
        try {
            keys.insert(name, role, Set.of(), null, "system", secret);
            log.info("The secret of {} is now a key of role {}", name, role.id());
        } catch (DuplicateKeyException e) {
            // another instance sharing the database stored it at the same moment
        }
    }

    private static void write(Path file, String secret) {
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin key to " + file, e);
        }
    }
}
