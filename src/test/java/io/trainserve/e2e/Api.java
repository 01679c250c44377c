package io.trainserve.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A thin HTTP client for the service's public API, as a user's script would use it. */
final class Api {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ServiceProcess service;
    private final String key;

    /** Sends the service's admin key ({@link ServiceProcess#ADMIN_KEY}) on every request. */
    Api() {
        this(ServiceProcess.get(), ServiceProcess.ADMIN_KEY);
    }

    /** A client of one particular instance, with the admin key. */
    Api(ServiceProcess service) {
        this(service, ServiceProcess.ADMIN_KEY);
    }

    /** Sends this key on every request (null: none). */
    Api(String key) {
        this(ServiceProcess.get(), key);
    }

    Api(ServiceProcess service, String key) {
        this.service = service;
        this.key = key;
    }

    record Response(int status, String location, String contentType, JsonNode body, byte[] raw) {
    }

    Response get(String path) {
        return send(request(path).GET().build());
    }

    Response post(String path, Object json) {
        return post(path, json, Map.of());
    }

    Response post(String path, Object json, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json instanceof String s ? s : JSON.writeValueAsString(json)));
        headers.forEach(b::header);
        return send(b.build());
    }

    Response postEmpty(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** multipart/form-data with the given file parts (name → filename, bytes) and text fields. */
    Response upload(String path, Map<String, Map.Entry<String, byte[]>> files, Map<String, String> fields) {
        String boundary = "----trainserve" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((k, v) -> write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n"));
        files.forEach((k, f) -> {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"; filename=\"" + f.getKey()
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.writeBytes(f.getValue());
            write(body, "\r\n");
        });
        write(body, "--" + boundary + "--\r\n");
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    String uploadCsv(String name, String csv) {
        Response r = upload("/datasets", Map.of("file", Map.entry(name + ".csv", csv.getBytes(StandardCharsets.UTF_8))), Map.of("name", name));
        assertThat(r.status()).as("upload %s: %s", name, r.body()).isEqualTo(201);
        return r.body().get("id").asText();
    }

    /** Posts a job, waits for it to end, returns its final state. */
    JsonNode train(Object spec, Duration timeout) {
        Response r = post("/jobs", spec);
        assertThat(r.status()).as("POST /jobs: %s", r.body()).isEqualTo(202);
        assertThat(r.location()).as("Location of the job").isNotNull();
        return awaitEnd(r.body().get("id").asText(), timeout);
    }

    JsonNode awaitEnd(String jobId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = get("/jobs/" + jobId).body();
            if (TERMINAL.contains(job.get("status").asText())) return job;
            pause(200);
        }
        throw new AssertionError("job " + jobId + " did not end within " + timeout + ": " + get("/jobs/" + jobId).body());
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis); // polling an external process over HTTP: there is nothing else to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * POSTs a body produced as it is sent (e.g. a CSV too large to hold) and hands each line of the answer to
     * {@code lines} as it arrives; returns the status.
     */
    int postStreaming(String path, String contentType, java.util.function.Supplier<java.io.InputStream> body,
                      java.util.function.Consumer<String> lines) {
        HttpRequest request = request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(body)).build();
        try {
            HttpResponse<java.util.stream.Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
            try (java.util.stream.Stream<String> s = r.body()) {
                s.forEach(lines);
            }
            return r.statusCode();
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request.uri() + "; service log:\n" + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode body = type.contains("json") && r.body().length > 0 ? JSON.readTree(r.body()) : null;
            return new Response(r.statusCode(), r.headers().firstValue("Location").orElse(null), type, body, r.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request.uri() + "; service log:\n" + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String log() {
        try {
            return service.log();
        } catch (IOException e) {
            return e.toString();
        }
    }

    Response delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** Every request starts here: the one place the Authorization header is added. */
    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(service.base.resolve(path));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
