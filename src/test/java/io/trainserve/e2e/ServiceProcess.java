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

/**
 * The packaged service, started once per test JVM as a separate process on a free port with a fresh
 * data directory (embedded H2), exactly as a user starts it; stopped when the JVM exits.
 */
final class ServiceProcess {
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
        if (instance == null) instance = start(java.util.List.of("-Xmx2g"));
        return instance;
    }

    /** A service of its own (not the shared one) started with these JVM options; {@link #stop()} it when done. */
    static ServiceProcess startWith(java.util.List<String> jvmOptions) {
        return start(jvmOptions);
    }

    void stop() {
        process.destroy();
    }

    private static ServiceProcess start(java.util.List<String> jvmOptions) {
        try {
            Path jar = Path.of(System.getProperty("trainserve.jar", "service/target/trainserve-service.jar"));
            if (!Files.exists(jar)) throw new IllegalStateException("packaged service not found at " + jar + ": run ./mvnw package first");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path dataDir = Files.createTempDirectory("trainserve-e2e");
            Path log = dataDir.resolve("service.log");
            java.util.List<String> command = new java.util.ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(java.util.List.of("-jar", jar.toString(), "--server.port=" + port));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("TRAINSERVE_DATA_DIR", dataDir.toString());
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitHealthy(base, p, log);
            return new ServiceProcess(base, dataDir, p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitHealthy(URI base, Process p, Path log) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) throw new IllegalStateException("service exited with " + p.exitValue() + ":\n" + tail(log));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health")).build(),
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
        throw new IllegalStateException("service not healthy within 180 s:\n" + tail(log));
    }

    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "";
        String s = Files.readString(log);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    String log() throws IOException {
        return tail(dataDir.resolve("service.log"));
    }
}
