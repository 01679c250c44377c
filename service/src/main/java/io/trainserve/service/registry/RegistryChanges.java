package io.trainserve.service.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The registry's change stamp (table {@code registry_changes}): every write to models, versions or aliases
 * bumps it inside its own transaction, so another instance sees a change by reading one row. Listeners on
 * this instance hear about a change right after it commits (read-your-writes without waiting for a poll).
 */
@Component
class RegistryChanges {
    private final JdbcTemplate jdbc;
    private final List<Runnable> afterCommit = new CopyOnWriteArrayList<>();

    RegistryChanges(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Call inside the transaction that changes the registry. */
    void bump() {
        jdbc.update("update registry_changes set stamp = stamp + 1 where id = 1");
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    afterCommit.forEach(Runnable::run);
                }
            });
        } else {
            afterCommit.forEach(Runnable::run);
        }
    }

    long current() {
        Long stamp = jdbc.queryForObject("select stamp from registry_changes where id = 1", Long.class);
        return stamp == null ? 0 : stamp;
    }

    void onCommit(Runnable listener) {
        afterCommit.add(listener);
    }
}
