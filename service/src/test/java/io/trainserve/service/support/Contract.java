package io.trainserve.service.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.mockmvc.OpenApiValidationMatchers;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.web.servlet.ResultMatcher;

/** Checks requests and responses against api-spec/openapi.yaml. */
public final class Contract {
    private static final String SPEC = read();
    private static final OpenApiInteractionValidator STRICT = OpenApiInteractionValidator.createForInlineApiSpecification(SPEC).build();
    /** For deliberately bad requests: only the (error) response must match the contract. */
    private static final OpenApiInteractionValidator RESPONSE_ONLY = OpenApiInteractionValidator.createForInlineApiSpecification(SPEC)
            .withLevelResolver(LevelResolver.create().withLevel("validation.request", ValidationReport.Level.IGNORE).build())
            .build();

    /**
     * For multipart uploads: MockMvc does not expose a multipart body to the validator (it reports "body
     * missing" and sees form fields as query parameters), so those two request checks are off; the
     * response is checked in full.
     */
    private static final OpenApiInteractionValidator UPLOAD = OpenApiInteractionValidator.createForInlineApiSpecification(SPEC)
            .withLevelResolver(LevelResolver.create()
                    .withLevel("validation.request.body.missing", ValidationReport.Level.IGNORE)
                    .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.IGNORE)
                    .build())
            .build();

    private Contract() {
    }

    /** Request and response match the contract. */
    public static ResultMatcher matches() {
        return OpenApiValidationMatchers.openApi().isValid(STRICT);
    }

    /** The response matches the contract (the request is bad on purpose). */
    public static ResultMatcher responseMatches() {
        return OpenApiValidationMatchers.openApi().isValid(RESPONSE_ONLY);
    }

    /** A multipart upload's response matches the contract. */
    public static ResultMatcher uploadMatches() {
        return OpenApiValidationMatchers.openApi().isValid(UPLOAD);
    }

    private static String read() {
        try {
            return Files.readString(Path.of("../api-spec/openapi.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
