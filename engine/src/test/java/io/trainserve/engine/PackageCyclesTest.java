package io.trainserve.engine;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages form no cycle. Each top-level package is a slice, and so is the root package
 * itself: {@code slices().matching("io.trainserve.engine.(*)..")} alone would leave the root's classes out
 * of every slice and never see a loop through them (the root ↔ {@code train} one this test was written for).
 */
class PackageCyclesTest {
    private static final String ROOT = "io.trainserve.engine";
    /** The engine's main classes, read from where they were compiled (not by scanning every jar on the class path). */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importLocations(List.of(Location.of(Trainer.class.getProtectionDomain().getCodeSource().getLocation())));

    /** The root package is slice "root", {@code io.trainserve.engine.<p>..} is slice {@code p}. */
    static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String pkg = c.getPackageName();
            if (pkg.equals(ROOT)) return SliceIdentifier.of("root");
            if (!pkg.startsWith(ROOT + ".")) return SliceIdentifier.ignore();
            return SliceIdentifier.of(pkg.substring(ROOT.length() + 1).split("\\.")[0]);
        }

        @Override
        public String getDescription() {
            return "the engine's root package and each package below it";
        }
    };

    @Test
    void theEnginesPackagesAreFreeOfCycles() {
        assertThat(MAIN.stream().map(JavaClass::getPackageName).distinct())
                .as("the packages checked").contains(ROOT, ROOT + ".train", ROOT + ".nn", ROOT + ".data", ROOT + ".backend");
        slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theRuleSeesALoopThroughTheRootPackage() {
        // root (Rooted) → cycletest (Below) → root (Trainer)
        JavaClasses loop = new ClassFileImporter().importClasses(Rooted.class, io.trainserve.engine.cycletest.Below.class, Trainer.class);
        EvaluationResult result = slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles().evaluate(loop);
        assertThat(result.hasViolation()).as("a root ↔ sub-package loop is reported").isTrue();
    }

    /** Half of a deliberate loop for the test above: uses a class below the root that uses it back. */
    static final class Rooted {
        io.trainserve.engine.cycletest.Below below;
    }
}
