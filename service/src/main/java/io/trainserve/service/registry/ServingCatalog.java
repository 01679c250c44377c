package io.trainserve.service.registry;

import io.trainserve.engine.Model;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.NotFoundException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the predict path needs from the registry, held in memory per instance: each model's versions,
 * latest version and aliases. A steady-state predict resolves a version and finds its loaded bundle
 * without a database round trip. The snapshot is reloaded when the registry's change stamp moves: right
 * after a change commits on this instance, and by a poll of that one-row stamp (every
 * {@code trainserve.serving.refresh-interval}, default 500 ms) for changes made by other instances. A miss
 * (an id or alias not in the snapshot) checks the stamp once before answering 404. Newly published
 * versions (a new latest, an alias target) are loaded and warmed up in the background.
 */
@Component
public class ServingCatalog implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ServingCatalog.class);

    /** @param versions every existing version; {@code latest} the highest */
    record Entry(int latest, Set<Integer> versions, Map<String, Integer> aliases) {
    }

    private record Snapshot(long stamp, Map<String, Entry> models) {
    }

    private final JdbcTemplate jdbc;
    private final RegistryChanges changes;
    private final ModelRegistry registry;
    private final LoadedModels loaded;
    private final ServingProperties properties;
    private volatile Snapshot snapshot;
    private ScheduledExecutorService poller;
    private ExecutorService warmer;
    private volatile boolean running;

    ServingCatalog(JdbcTemplate jdbc, RegistryChanges changes, ModelRegistry registry, LoadedModels loaded, ServingProperties properties) {
        this.loaded = loaded;
        this.jdbc = jdbc;
        this.changes = changes;
        this.registry = registry;
        this.properties = properties;
        changes.onCommit(this::refresh);
    }

    /** A version and its model, loaded once. */
    public record Resolved(String modelId, int version, Model model) {
    }

    /**
     * The version to predict with: {@code version}, else the target of {@code alias}, else the latest.
     *
     * @throws BadRequestException when both are given
     * @throws NotFoundException   naming the model, the version or the {@code alias}
     */
    public Resolved resolve(String modelId, Integer version, String alias) {
        if (version != null && alias != null) {
            throw new BadRequestException("alias", "\"" + alias + "\" together with version=" + version,
                    "either ?version=N or ?alias=NAME, not both");
        }
        int v = find(modelId, version, alias, current());
        if (v < 0) v = find(modelId, version, alias, refresh()); // a miss: maybe something changed a moment ago
        if (v == -1) throw new NotFoundException("model", modelId);
        if (v == -2) throw new NotFoundException("model version", modelId + " v" + version);
        if (v == -3) throw new NotFoundException("alias", modelId + "@" + alias, "alias");
        Model m = loaded.get(modelId, v); // the hot path: no proxy, no lock
        return new Resolved(modelId, v, m != null ? m : registry.load(modelId, v));
    }

    /** True when the model has at least one version (as this instance last saw it). */
    public boolean exists(String modelId) {
        return current().models().containsKey(modelId) || refresh().models().containsKey(modelId);
    }

    /** Versions of a model, ascending, as this instance last saw them (empty if none). */
    public Set<Integer> versions(String modelId) {
        Entry e = current().models().get(modelId);
        return e == null ? Set.of() : e.versions();
    }

    private static int find(String modelId, Integer version, String alias, Snapshot s) {
        Entry e = s.models().get(modelId);
        if (e == null) return -1;
        if (version != null) return e.versions().contains(version) ? version : -2;
        if (alias != null) return e.aliases().getOrDefault(alias, -3);
        return e.latest();
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        return s != null ? s : refresh();
    }

    /** Reloads the snapshot if the stamp moved; returns the snapshot now in force. */
    synchronized Snapshot refresh() {
        long stamp = changes.current();
        Snapshot old = snapshot;
        if (old != null && old.stamp() == stamp) return old;
        Map<String, Entry> models = new HashMap<>();
        Map<String, TreeSet<Integer>> versions = new HashMap<>();
        jdbc.query("select model_id, version from model_versions",
                rs -> { versions.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getInt(2)); });
        Map<String, Map<String, Integer>> aliases = new HashMap<>();
        jdbc.query("select model_id, alias, version from model_aliases",
                rs -> { aliases.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3)); });
        versions.forEach((id, vs) -> models.put(id, new Entry(vs.last(), Set.copyOf(vs), Map.copyOf(aliases.getOrDefault(id, Map.of())))));
        Snapshot fresh = new Snapshot(stamp, Map.copyOf(models));
        snapshot = fresh;
        warmNew(old, fresh);
        return fresh;
    }

    /** Loads (once) and warms the versions that became a latest or an alias target. */
    private void warmNew(Snapshot old, Snapshot fresh) {
        if (!properties.warmUp() || warmer == null) return;
        Set<String> before = old == null ? Set.of() : served(old);
        for (String key : served(fresh)) {
            if (before.contains(key)) continue;
            int at = key.lastIndexOf(' ');
            String id = key.substring(0, at);
            int version = Integer.parseInt(key.substring(at + 1));
            warmer.execute(() -> warm(id, version));
        }
    }

    private static Set<String> served(Snapshot s) {
        Set<String> keys = new HashSet<>();
        s.models().forEach((id, e) -> {
            keys.add(id + " " + e.latest());
            e.aliases().values().forEach(v -> keys.add(id + " " + v));
        });
        return keys;
    }

    private void warm(String id, int version) {
        try {
            Model m = registry.load(id, version);
            float[] zeros = new float[m.inputSchema().width()];
            for (int i = 0; i < 20; i++) m.outputs(zeros, 1);
        } catch (RuntimeException e) {
            log.debug("warm-up of {} v{} skipped: {}", id, version, e.toString());
        }
    }

    private void poll() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("serving catalog refresh failed (keeping the last snapshot): {}", e.toString());
        }
    }

    @Override
    public void start() {
        warmer = Executors.newSingleThreadExecutor(r -> daemon(r, "serving-warm-up"));
        poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "serving-catalog"));
        long millis = Math.max(10, properties.refreshInterval().toMillis());
        poller.scheduleWithFixedDelay(this::poll, 0, millis, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        poller.shutdownNow();
        warmer.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
