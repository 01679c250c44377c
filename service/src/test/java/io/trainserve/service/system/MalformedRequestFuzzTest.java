package io.trainserve.service.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.trainserve.service.support.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A generated mutation test over every operation of {@code api-spec/openapi.yaml}, against the real
 * embedded Tomcat (raw sockets, so even requests an HTTP client would refuse to send get through):
 * malformed path values, query values, headers, JSON bodies and multipart bodies (including file names
 * with a NUL byte). Every answer must be below 500, and every 4xx must be {@code application/problem+json}
 * with the spec's Problem shape (type, title, status). Prints its request count and outcomes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:fuzz-${random.uuid};DB_CLOSE_DELAY=-1",
        "trainserve.data-dir=${java.io.tmpdir}/trainserve-test-${random.uuid}",
        "db-scheduler.polling-interval=100ms",
        "trainserve.security.admin-key=" + MalformedRequestFuzzTest.ADMIN_KEY})
class MalformedRequestFuzzTest {
    static final String ADMIN_KEY = "ts_e2eadminkey0000000000000000000000000000000000000";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");

    @LocalServerPort
    int port;

    private final Random random = new Random(17);
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int requests;

    @Test
    void noMalformedRequestToAnyOperationGetsA5xxOrAnythingButProblemJson() throws Exception {
        OpenAPI api = new OpenAPIV3Parser().readContents(Files.readString(Path.of("../api-spec/openapi.yaml"))).getOpenAPI();
        String datasetId = realDataset();
        int operations = 0;
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                operations++;
                List<Parameter> params = new ArrayList<>();
                if (path.getValue().getParameters() != null) params.addAll(path.getValue().getParameters());
                if (op.getValue().getParameters() != null) params.addAll(op.getValue().getParameters());
                fuzz(op.getKey().name(), path.getKey(), params, op.getValue(), datasetId);
            }
        }
        // bytes no HTTP client library would send
        raw("GET /datasets/%ZZ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\nConnection: close\r\n\r\n");
        raw("GET /jobs/a%00b HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\nConnection: close\r\n\r\n");
        raw("GET /jobs?status=%C0%AF HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\nConnection: close\r\n\r\n");
        raw("GET /models/%2e%2e%2f%2e%2e%2fetc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\nConnection: close\r\n\r\n");
        raw("POST /jobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{\"a\":");
        raw("POST /datasets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\nContent-Type: multipart/form-data\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");

        String report = "fuzz: " + requests + " requests over " + operations + " operations; outcomes by status " + outcomes;
        System.out.println(report);
        Files.writeString(Path.of("target/fuzz-report.txt"), report + "\n" + String.join("\n", failures) + "\n");
        assertThat(operations).isGreaterThanOrEqualTo(15);
        assertThat(requests).isGreaterThan(operations * 20);
        assertThat(failures).as(report).isEmpty();
    }

    private void fuzz(String method, String template, List<Parameter> params, Operation op, String datasetId) throws IOException {
        boolean json = op.getRequestBody() != null && op.getRequestBody().getContent().containsKey("application/json");
        boolean multipart = op.getRequestBody() != null && op.getRequestBody().getContent().containsKey("multipart/form-data");
        for (int i = 0; i < 30; i++) {
            String path = template;
            StringBuilder query = new StringBuilder();
            StringBuilder headers = new StringBuilder();
            for (Parameter p : params) {
                String value = i % 5 == 0 && "id".equals(p.getName()) ? datasetId : badValue(p.getSchema() == null ? null : p.getSchema().getType());
                switch (p.getIn()) {
                    case "path" -> path = path.replace("{" + p.getName() + "}", encodePath(value));
                    case "query" -> query.append(query.isEmpty() ? "?" : "&").append(p.getName()).append('=').append(encodeQuery(value));
                    case "header" -> headers.append(p.getName()).append(": ").append(headerValue(value)).append("\r\n");
                    default -> { }
                }
            }
            if (i % 7 == 3) query.append(query.isEmpty() ? "?" : "&").append("unknown=").append(encodeQuery(badValue(null)));
            if (i % 6 == 1) headers.append("Accept: ").append(List.of("text/html", "application/xml", "*/*;q=oops", "image/png").get(i % 4)).append("\r\n");
            if (i % 8 == 2) headers.append("Idempotency-Key: ").append(headerValue(badValue(null))).append("\r\n");
            byte[] body = new byte[0];
            String contentType = null;
            if (json) {
                body = jsonBody(i).getBytes(StandardCharsets.UTF_8);
                contentType = i % 9 == 4 ? "text/plain" : i % 11 == 5 ? "application/json; charset=ebcdic-x" : "application/json";
            } else if (multipart) {
                String boundary = "b" + i;
                body = multipartBody(boundary, i);
                contentType = i % 10 == 7 ? "multipart/form-data" : "multipart/form-data; boundary=" + boundary;
            } else if (i % 4 == 0) {
                body = jsonBody(i).getBytes(StandardCharsets.UTF_8);
                contentType = "application/json";
            }
            send(method, path + query, headers.toString(), contentType, body);
        }
    }

    private String badValue(String type) {
        List<String> values = List.of("", " ", "-1", "0", "99999999999999999999", "1e309", "NaN", "abc", "../../etc/passwd",
                "a\u0000b", "\u00e9\u4e2d\ud83d\ude00", "x".repeat(3000), "%", "%00", "null", "[]", "{}", "true", "1.5",
                "<script>", "'; drop table jobs; --", "\r\nX-Injected: 1", "QUEUED", "SUCCEEDED");
        return values.get(random.nextInt(values.size()));
    }

    private String jsonBody(int i) {
        List<String> bodies = List.of("", "{", "}", "null", "[]", "\"text\"", "42", "{\"modelId\": 5}",
                "{\"modelId\": \"m\", \"datasetId\": \"" + "x".repeat(5000) + "\", \"target\": \"label\"}",
                "{\"instances\": [[1, \"a\", null]]}", "{\"instances\": 7}", "{\"instances\": [[1e400]]}",
                "{\"datasetId\": \"../x\", \"target\": {}}", "{\"a\":" .repeat(200) + "1" + "}".repeat(200),
                "{\"modelId\": \"m\", \"datasetId\": \"d\", \"training\": {\"epochs\": -5, \"batchSize\": \"x\"}}",
                "{\"modelId\": \"m\\u0000\", \"datasetId\": \"d\\u0000\", \"target\": \"\\u0000\"}",
                "\u0000\u0001\u0002", "{\"instances\": [{\"x1\": []}]}", "{\"unknown\": 1}");
        return bodies.get((i + random.nextInt(bodies.size())) % bodies.size());
    }

    private byte[] multipartBody(String boundary, int i) {
        String[] names = {"file", "images", "labels", "name", "file\u0000", ""};
        String[] fileNames = {"a\u0000b.csv", "../../x.csv", "", "x".repeat(1000) + ".csv", "ok.csv", "\r\n.csv"};
        byte[][] contents = {new byte[0], TestFiles.SOFTMAX_CSV.getBytes(StandardCharsets.UTF_8), {(byte) 0x1f, (byte) 0x8b, 1, 2},
                "a,b\n1\n".getBytes(StandardCharsets.UTF_8), new byte[]{0, 0, 8, 3, 0, 0, 0, 1}};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = 1 + random.nextInt(3);
        for (int p = 0; p < parts; p++) {
            String name = names[random.nextInt(names.length)];
            String header = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
            if (!name.equals("name")) header += "; filename=\"" + fileNames[random.nextInt(fileNames.length)] + "\"";
            out.writeBytes((header + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(name.equals("name") ? badValue(null).getBytes(StandardCharsets.UTF_8) : contents[random.nextInt(contents.length)]);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        if (i % 3 != 1) out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8)); // sometimes unterminated
        return out.toByteArray();
    }

    private static String encodePath(String v) {
        return java.net.URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20").replace("%25", v.equals("%") ? "%" : "%25");
    }

    private static String encodeQuery(String v) {
        return java.net.URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private static String headerValue(String v) {
        // header values cannot carry CR/LF; everything else (NUL, non-ASCII, very long) goes as raw bytes
        return v.replace("\r", "").replace("\n", "");
    }

    private void send(String method, String target, String headers, String contentType, byte[] body) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        String head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer " + ADMIN_KEY
                + "\r\n" + headers + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        request.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        request.writeBytes(body);
        exchange(method + " " + target.substring(0, Math.min(120, target.length())), request.toByteArray());
    }

    private void raw(String request) throws IOException {
        exchange(request.substring(0, request.indexOf('\r')), request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void exchange(String what, byte[] request) throws IOException {
        requests++;
        byte[] response;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            try (InputStream in = socket.getInputStream()) {
                response = readResponse(in);
            }
        }
        String text = new String(response, StandardCharsets.ISO_8859_1);
        Matcher m = STATUS.matcher(text);
        if (!m.find()) {
            outcomes.merge("no response", 1, Integer::sum);
            failures.add(what + " -> no HTTP response");
            return;
        }
        int status = Integer.parseInt(m.group(1));
        outcomes.merge(String.valueOf(status), 1, Integer::sum);
        int split = text.indexOf("\r\n\r\n");
        String head = text.substring(0, split < 0 ? text.length() : split).toLowerCase(Locale.ROOT);
        byte[] payload = split < 0 ? new byte[0] : java.util.Arrays.copyOfRange(response, split + 4, response.length);
        if (head.contains("transfer-encoding: chunked")) payload = dechunk(payload);
        String body = new String(payload, StandardCharsets.UTF_8);
        if (status >= 500) {
            failures.add(what + " -> " + status + ": " + body.substring(0, Math.min(300, body.length())));
        } else if (status >= 400 && what.contains(" /v2/") && head.contains("content-type: application/json")) {
            // the Open Inference Protocol (KServe v2) defines its own error body: {"error": "..."}
            if (!body.startsWith("{\"error\":")) failures.add(what + " -> " + status + " body is not a v2 error: " + body.substring(0, Math.min(300, body.length())));
        } else if (status >= 400) {
            if (!head.contains("content-type: application/problem+json")) {
                failures.add(what + " -> " + status + " without problem+json: " + head.replace("\r\n", " | "));
            } else if (!problemShaped(body)) {
                failures.add(what + " -> " + status + " body is not a Problem: " + body.substring(0, Math.min(300, body.length())));
            }
        }
    }

    private static boolean problemShaped(String body) {
        try {
            JsonNode p = JSON.readTree(body);
            return p.hasNonNull("type") && p.hasNonNull("title") && p.get("status").isInt();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The whole response, except that an event stream (which stays open while its job or the job list lives)
     * is read only up to its headers: its status and content type are what the fuzz checks.
     */
    private static byte[] readResponse(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                String headers = new String(h, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                if (headers.contains("content-type: text/event-stream")) return h;
                head.writeBytes(in.readAllBytes());
                break;
            }
        }
        return head.toByteArray();
    }

    /** HTTP/1.1 chunked transfer coding: hex size line, bytes, CRLF, ..., 0. */
    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < chunked.length) {
            int eol = i;
            while (eol + 1 < chunked.length && !(chunked[eol] == '\r' && chunked[eol + 1] == '\n')) eol++;
            String sizeLine = new String(chunked, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = sizeLine.isEmpty() ? 0 : Integer.parseInt(sizeLine, 16);
            if (size == 0) break;
            out.write(chunked, eol + 2, Math.min(size, chunked.length - eol - 2));
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    /** A stored dataset, so that some path ids are real and the operations behind them are reached. */
    private String realDataset() throws IOException {
        String boundary = "real";
        byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.csv\"\r\n\r\n"
                + TestFiles.SOFTMAX_CSV + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        String head = "POST /datasets HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer " + ADMIN_KEY
                + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(response);
            assertThat(id.find()).as("upload: %s", response).isTrue();
            return id.group(1);
        }
    }
}
