package io.trainserve.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The packaged service as a separate process on a free port, exactly as a user starts it: {@link #get()} is
 * the one shared per test JVM (fresh data directory, embedded H2); {@link #start(Map, Path)} starts another
 * with its own environment (e.g. several instances on one PostgreSQL). Stopped when the JVM exits.
 */
final class ServiceProcess {
    /** The admin key the service starts with (TRAINSERVE_ADMIN_KEY); {@link Api} sends it. */
    static final String ADMIN_KEY = "ts_e2eadminkey0000000000000000000000000000000000000";
    private static ServiceProcess instance;
    final URI base;
    final Path dataDir;
    private final Process process;

    private ServiceProcess(URI base, Path dataDir, Process process) {
        this.base = base;
        this.dataDir = dataDir;
        this.process = process;
    }

    static synchronized ServiceProcess get() {
        if (instance == null) instance = start();
        return instance;
    }

    private static ServiceProcess start() {
        try {
            return start(Map.of(), Files.createTempDirectory("trainserve-e2e"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts one more instance with {@code env} added to its environment and {@code dataDir} as its data directory. */
    static ServiceProcess start(Map<String, String> env, Path dataDir) {
        return start(env, dataDir, java.util.List.of("-Xmx2g"));
    }

    /** Like {@link #start(Map, Path)} with these JVM options (e.g. a small -Xmx for a memory test) instead of -Xmx2g. */
    static ServiceProcess start(Map<String, String> env, Path dataDir, java.util.List<String> jvmOptions) {
        try {
            Path jar = Path.of(System.getProperty("trainserve.jar", "service/target/trainserve-service.jar"));
            if (!Files.exists(jar)) throw new IllegalStateException("packaged service not found at " + jar + ": run ./mvnw package first");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Files.createDirectories(dataDir);
            Path log = dataDir.resolve("service.log");
            java.util.List<String> command = new java.util.ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(java.util.List.of("-jar", jar.toString(), "--server.port=" + port));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("TRAINSERVE_DATA_DIR", dataDir.toString());
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            pb.environment().put("TRAINSERVE_ADMIN_KEY", ADMIN_KEY);
            pb.environment().putAll(env);
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            URI base = URI.create("http://127.0.0.1:" + port);
            try {
                awaitHealthy(base, p, log);
            } catch (RuntimeException | IOException e) {
                p.destroyForcibly(); // never leave a half-started instance behind
                throw e;
            }
            return new ServiceProcess(base, dataDir, p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitHealthy(URI base, Process p, Path log) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(300)); // minutes on a host busy with other builds
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) throw new IllegalStateException("service exited with " + p.exitValue() + ":\n" + tail(log));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250); // polling a starting process: nothing to wait on but the socket
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new IllegalStateException("service not healthy within 300 s:\n" + tail(log));
    }

    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "";
        String s = Files.readString(log);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    String log() throws IOException {
        return tail(dataDir.resolve("service.log"));
    }

    /** Everything the service has logged so far. */
    String fullLog() throws IOException {
        return Files.readString(dataDir.resolve("service.log"));
    }

    /** kill -9: no shutdown hook, no goodbye to the database. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM; returns whether the process ended within {@code timeout}. */
    boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }
}
