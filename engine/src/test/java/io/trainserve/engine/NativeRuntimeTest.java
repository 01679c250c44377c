package io.trainserve.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine sets OpenMP's wait policy itself. Each case starts a JVM whose environment lacks (or
 * sets) {@code OMP_WAIT_POLICY} and has libgomp print the settings it actually read when it loaded
 * ({@code OMP_DISPLAY_ENV=verbose}), so the assertion is on what the native runtime uses.
 */
class NativeRuntimeTest {

    /** Child JVM: enters the engine first, as the service does, then runs an ND4J op. */
    public static final class Probe {
        public static void main(String[] args) {
            new Trainer();
            System.out.println("sum=" + Nd4j.ones(4).sumNumber());
            System.out.println("native " + NativeRuntime.WAIT_POLICY + "=" + NativeRuntime.nativeEnv(NativeRuntime.WAIT_POLICY));
            System.exit(0); // ND4J's non-daemon threads
        }
    }

    @Test
    void passiveWaitPolicyWhenTheEnvironmentHasNone() throws Exception {
        String out = runProbe(null);
        assertThat(out).contains("sum=4.0", "native OMP_WAIT_POLICY=PASSIVE");
        // libgomp displays an unset policy as PASSIVE too; the spin count tells them apart (unset: 300000)
        assertThat(out).contains("GOMP_SPINCOUNT = '0'");
    }

    @Test
    void theUsersChoiceWins() throws Exception {
        String out = runProbe("ACTIVE");
        assertThat(out).contains("native OMP_WAIT_POLICY=ACTIVE");
        assertThat(out).contains("OMP_WAIT_POLICY = 'ACTIVE'");
    }

    private static String runProbe(String waitPolicy) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        cmd.add(Probe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("OMP_WAIT_POLICY");
        if (waitPolicy != null) env.put("OMP_WAIT_POLICY", waitPolicy);
        env.put("OMP_DISPLAY_ENV", "verbose");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
