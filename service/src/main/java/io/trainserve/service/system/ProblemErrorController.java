package io.trainserve.service.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code server.error.path}, default {@code /error}) as
 * {@code application/problem+json} for every client, in place of Spring Boot's HTML/JSON error page: it
 * answers what Tomcat or a filter rejected before a controller ran (a malformed multipart body, a
 * request the servlet container refused). A failure in reading the request is the client's: a 400.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping(path = "${server.error.path:/error}", produces = {MediaType.APPLICATION_PROBLEM_JSON_VALUE, MediaType.ALL_VALUE})
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Throwable error = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        HttpStatus status = code instanceof Integer c ? HttpStatus.resolve(c) : null;
        if (status == null) status = HttpStatus.BAD_REQUEST;
        if (status.is5xxServerError() && readingRequestFailed(error)) status = HttpStatus.BAD_REQUEST;
        String detail = status.is4xxClientError()
                ? "the request was rejected before it reached the API: " + status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT)
                + " (check the URL, headers and body encoding)"
                : "an unexpected error occurred; it has been logged";
        String problem = switch (status.value()) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 413 -> "too-large";
            case 415 -> "unsupported-media-type";
            default -> status.is4xxClientError() ? "invalid-request" : "internal-error";
        };
        ProblemDetail p = Problems.of(status, problem, status.getReasonPhrase(), detail);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    /** Multipart parsing and request decoding failures surface as exceptions of these kinds. */
    private static boolean readingRequestFailed(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof IllegalArgumentException || t instanceof java.io.IOException
                    || name.contains("Multipart") || name.contains("FileUpload") || name.contains("CharacterCoding")) {
                return true;
            }
        }
        return false;
    }
}
