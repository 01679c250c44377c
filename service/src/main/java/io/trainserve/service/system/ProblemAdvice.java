package io.trainserve.service.system;

import io.trainserve.engine.InvalidInputException;
import io.trainserve.engine.InvalidDataException;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.Violation;
import io.trainserve.service.dataset.CorruptDatasetException;
import io.trainserve.service.storage.CorruptBlobException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps every exception to RFC 9457 {@code application/problem+json}: a stable {@code type} and
 * {@code code}, the offending {@code field}, what was {@code given} and what is {@code allowed}.
 * Bad input is always a 4xx; no stack trace ever reaches a client.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(InvalidSpecException.class)
    ResponseEntity<ProblemDetail> invalidSpec(InvalidSpecException e) {
        List<Violation> violations = e.violations();
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "invalid-spec", "Invalid job spec", e.getMessage());
        if (!violations.isEmpty()) {
            Violation first = violations.get(0);
            Problems.withField(p, first.field(), first.given(), first.allowed());
        }
        Problems.withViolations(p, violations.stream().map(v -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("field", v.field());
            m.put("given", v.given());
            m.put("allowed", v.allowed());
            return m;
        }).collect(Collectors.toList()));
        return body(p);
    }

    @ExceptionHandler(InvalidDataException.class)
    ResponseEntity<ProblemDetail> dataFormat(InvalidDataException e) {
        ProblemDetail p = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-data", "The data cannot be used", e.getMessage());
        if (e.row() > 0) p.setProperty("row", e.row());
        if (e.column() != null) p.setProperty("column", e.column());
        Problems.withField(p, e.column(), e.found(), e.expected());
        p.setProperty("expected", e.expected());
        p.setProperty("found", e.found());
        return body(p);
    }

    @ExceptionHandler(UploadException.class)
    ResponseEntity<ProblemDetail> upload(UploadException e) {
        ProblemDetail p = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-data", "The data cannot be used", e.getMessage());
        Problems.withField(p, e.part(), null, null);
        return body(p);
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalidInput(InvalidInputException e) {
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", e.getMessage());
        Problems.withField(p, e.field(), e.given(), e.expected());
        return body(p);
    }

    @ExceptionHandler(BadRequestException.class)
    ResponseEntity<ProblemDetail> badRequest(BadRequestException e) {
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
        Problems.withField(p, e.field(), e.given(), e.allowed());
        return body(p);
    }

    @ExceptionHandler(TooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(TooLargeException e) {
        ProblemDetail p = Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Request too large", e.getMessage());
        Problems.withField(p, e.field(), e.given(), e.allowed());
        return body(p);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        ProblemDetail p = Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
        p.setProperty("resource", e.resource());
        Problems.withField(p, e.field(), e.id(), null);
        return body(p);
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        return body(Problems.of(HttpStatus.CONFLICT, e.code(), "Conflict", e.getMessage()));
    }

    @ExceptionHandler(CorruptDatasetException.class)
    ResponseEntity<ProblemDetail> corruptDataset(CorruptDatasetException e) {
        ProblemDetail p = Problems.of(HttpStatus.CONFLICT, "corrupt-dataset", "Conflict", e.getMessage());
        Problems.withField(p, "datasetId", e.datasetId(), "a dataset whose stored bytes match their checksum");
        return body(p);
    }

    @ExceptionHandler(CorruptBlobException.class)
    ResponseEntity<ProblemDetail> corruptBlob(CorruptBlobException e) {
        return body(Problems.of(HttpStatus.CONFLICT, "corrupt-blob", "Conflict", "stored data is corrupt (its checksum does not "
                + "match what was written): " + e.key()));
    }

    @ExceptionHandler(ObjectOptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> concurrentUpdate(ObjectOptimisticLockingFailureException e) {
        return body(Problems.of(HttpStatus.CONFLICT, "concurrent-update", "Conflict",
                "the resource was changed by someone else at the same time; read it again and retry"));
    }

    /** Spring Security's firewall checks header values lazily, when a controller reads them: bytes no header may hold. */
    @ExceptionHandler(org.springframework.security.web.firewall.RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejectedByFirewall(org.springframework.security.web.firewall.RequestRejectedException e) {
        return body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "the request was refused: a header or the URL holds characters that are not allowed there"));
    }

    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<ProblemDetail> undecodableParameter(org.apache.tomcat.util.http.InvalidParameterException e) {
        return body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "a query or form parameter could not be decoded: percent-encode it as UTF-8"));
    }

    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    ResponseEntity<ProblemDetail> badMultipart(org.springframework.web.multipart.MultipartException e) {
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "invalid-multipart", "Malformed multipart request",
                "the multipart/form-data body could not be read: check the boundary, the part headers and the file names");
        return body(p);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        String allowed = e.getRequiredType() == null ? "a valid value"
                : e.getRequiredType().isEnum() ? java.util.Arrays.toString(e.getRequiredType().getEnumConstants())
                : "a " + e.getRequiredType().getSimpleName();
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                e.getName() + ": given '" + e.getValue() + "'; allowed: " + allowed);
        Problems.withField(p, e.getName(), String.valueOf(e.getValue()), allowed);
        return body(p);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        String errorId = ErrorIds.next();
        log.error("unexpected error {}", errorId, e);
        ProblemDetail p = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "an error occurred (error id " + errorId + ")");
        p.setProperty("errorId", errorId);
        return body(p);
    }

    // ---- Spring MVC's own exceptions ----

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed request body", describe(e));
        JacksonException cause = jacksonCause(e);
        if (cause instanceof UnrecognizedPropertyException u) {
            String field = path(u);
            Problems.withField(p, field, u.getPropertyName(), known(u));
            p.setType(java.net.URI.create(Problems.TYPE_BASE + "unknown-property"));
            p.setProperty("code", "unknown-property");
            p.setDetail("unknown property '" + field + "'; allowed here: " + known(u));
        } else if (cause instanceof InvalidFormatException f) {
            Problems.withField(p, path(f), String.valueOf(f.getValue()), "a " + simpleType(f.getTargetType()));
        } else if (cause instanceof MismatchedInputException m) {
            Problems.withField(p, path(m), null, m.getTargetType() == null ? null : "a " + simpleType(m.getTargetType()));
        }
        return new ResponseEntity<>(p, headers, HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException e, HttpHeaders headers,
                                                                     HttpStatusCode status, WebRequest request) {
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "missing-part", "Missing multipart part",
                "required part '" + e.getRequestPartName() + "' is missing");
        Problems.withField(p, e.getRequestPartName(), "nothing", "a file part named '" + e.getRequestPartName() + "'");
        return new ResponseEntity<>(p, headers, HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e, HttpHeaders headers,
                                                                          HttpStatusCode status, WebRequest request) {
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "missing-parameter", "Missing parameter", e.getMessage());
        Problems.withField(p, e.getParameterName(), "nothing", "a " + e.getParameterType());
        return new ResponseEntity<>(p, headers, HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e, HttpHeaders headers,
                                                                          HttpStatusCode status, WebRequest request) {
        String limit = e.getMaxUploadSize() > 0 ? e.getMaxUploadSize() + " bytes" : "the configured limit";
        ProblemDetail p = Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Upload too large",
                "the upload exceeds " + limit + " (spring.servlet.multipart.max-file-size / max-request-size)");
        return new ResponseEntity<>(p, headers, HttpStatus.CONTENT_TOO_LARGE);
    }

    /** Every other Spring MVC exception: keep Spring's status and detail, add our type and code. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail p && (p.getType() == null || "about:blank".equals(p.getType().toString()))) {
            String code = switch (status.value()) {
                case 404 -> "not-found";
                case 405 -> "method-not-allowed";
                case 406 -> "not-acceptable";
                case 413 -> "too-large";
                case 415 -> "unsupported-media-type";
                default -> status.is4xxClientError() ? "invalid-request" : "internal-error";
            };
            p.setType(java.net.URI.create(Problems.TYPE_BASE + code));
            p.setProperty("code", code);
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static ResponseEntity<ProblemDetail> body(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).body(p);
    }

    private static JacksonException jacksonCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException j) return j;
        }
        return null;
    }

    private static String describe(HttpMessageNotReadableException e) {
        JacksonException j = jacksonCause(e);
        if (j == null) return "the request body is missing or not readable JSON";
        if (j instanceof StreamReadException && !(j instanceof MismatchedInputException)) {
            return "the request body is not valid JSON: " + j.getOriginalMessage()
                    + (j.getLocation() != null ? " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")" : "");
        }
        String path = path(j);
        return (path.isEmpty() ? "" : path + ": ") + firstLine(j.getOriginalMessage());
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** JSON path like {@code model.layers[0].units}. */
    static String path(JacksonException e) {
        StringBuilder b = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!b.isEmpty()) b.append('.');
                b.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String known(UnrecognizedPropertyException u) {
        return u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                .collect(Collectors.joining(", "));
    }

    private static String simpleType(Class<?> type) {
        if (type == null) return "value";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "integer";
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) return "number";
        if (type == Boolean.class || type == boolean.class) return "boolean";
        if (type == String.class) return "string";
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) return "array";
        if (type.isEnum()) return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        return "JSON object (" + type.getSimpleName() + ")";
    }
}
