package io.trainserve.service.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service talks to the engine only through its public vocabulary: the root package
 * {@code io.trainserve.engine} (with its readers, {@code DataFiles}) and {@code spec} (the job spec's
 * records and enums). Any other engine package ({@code data}, {@code nn}, {@code train},
 * {@code preprocess}, ...) named anywhere in the service's main code fails this test.
 */
class EngineBoundaryTest {
    static final Set<String> ALLOWED = Set.of("spec");
    /** {@code io.trainserve.engine.<sub>.} in an import or a qualified name; root classes start with a capital. */
    static final Pattern ENGINE_PACKAGE = Pattern.compile("io\\.trainserve\\.engine\\.([a-z][a-z0-9_]*)\\.");

    @Test
    void serviceMainCodeUsesOnlyTheEnginesRootAndSpecPackages() throws IOException {
        Path main = Path.of("src/main/java");
        assertThat(main).isDirectory();
        List<String> offending = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(main)) {
            for (Path f : paths.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                offending.addAll(internals(main.relativize(f).toString(), Files.readString(f)));
            }
        }
        assertThat(files).as("service sources scanned").isGreaterThan(20);
        assertThat(offending).as("engine internals used by the service").isEmpty();
    }

    @Test
    void theScanSeesInternalsInImportsAndQualifiedNames() {
        assertThat(internals("X.java", """
                import io.trainserve.engine.Model;
                import io.trainserve.engine.spec.Loss;
                import io.trainserve.engine.data.Table;
                import io.trainserve.engine.nn.Shape;
                class X { io.trainserve.engine.train.ResolvedTraining t; }
                """)).containsExactly("X.java: io.trainserve.engine.data.", "X.java: io.trainserve.engine.nn.", "X.java: io.trainserve.engine.train.");
    }

    static List<String> internals(String file, String source) {
        List<String> found = new ArrayList<>();
        Matcher m = ENGINE_PACKAGE.matcher(source);
        while (m.find()) if (!ALLOWED.contains(m.group(1))) found.add(file + ": " + m.group());
        return found;
    }
}
