package io.trainserve.engine.nn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelLoopsTest {
    @Test
    void everyIndexRunsExactlyOnceInContiguousParts() {
        int n = 1001;
        AtomicIntegerArray visits = new AtomicIntegerArray(n), partOf = new AtomicIntegerArray(n);
        int parts = ParallelLoops.run(n, Long.MAX_VALUE, (from, to, part) -> {
            for (int i = from; i < to; i++) {
                visits.incrementAndGet(i);
                partOf.set(i, part);
            }
        });
        assertThat(parts).isEqualTo(Math.min(ParallelLoops.MAX_PARTS, n));
        for (int i = 0; i < n; i++) {
            assertThat(visits.get(i)).as("visits of %d", i).isEqualTo(1);
            if (i > 0) assertThat(partOf.get(i)).as("part of %d", i).isBetween(partOf.get(i - 1), partOf.get(i - 1) + 1);
        }
    }

    @Test
    void smallWorkStaysOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        int parts = ParallelLoops.run(1000, ParallelLoops.MIN_WORK - 1,
                (from, to, part) -> assertThat(Thread.currentThread()).isSameAs(caller));
        assertThat(parts).isEqualTo(1);
    }

    @Test
    void aFailingPartIsRethrownAfterAllPartsFinished() {
        AtomicIntegerArray done = new AtomicIntegerArray(ParallelLoops.MAX_PARTS);
        int last = ParallelLoops.MAX_PARTS - 1; // a helper's part when there are helpers
        assertThatThrownBy(() -> ParallelLoops.run(100, Long.MAX_VALUE, (from, to, part) -> {
            if (part == last) throw new IllegalStateException("part " + part);
            done.set(part, 1);
        })).isInstanceOf(IllegalStateException.class).hasMessage("part " + last);
        for (int p = 0; p < last; p++) assertThat(done.get(p)).as("part %d finished", p).isEqualTo(1);
    }

    /**
     * Plain arrays written by the parts are visible to the caller afterwards; a concurrent caller
     * runs the same parts itself, so each loop has the same parts whoever runs them.
     */
    @Test
    void concurrentCallersEachSeeEveryIndexOnce() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                results.add(callers.submit(() -> {
                    for (int round = 0; round < 3000; round++) {
                        int n = 257 + round % 7;
                        int[] visits = new int[n], partOf = new int[n];
                        int parts = ParallelLoops.run(n, Long.MAX_VALUE, (from, to, part) -> {
                            for (int i = from; i < to; i++) {
                                visits[i]++;
                                partOf[i] = part;
                            }
                        });
                        assertThat(parts).isEqualTo(ParallelLoops.MAX_PARTS);
                        for (int i = 0; i < n; i++) {
                            assertThat(visits[i]).as("round %d index %d", round, i).isEqualTo(1);
                            assertThat(partOf[i]).as("round %d part of %d", round, i).isEqualTo(expectedPart(i, n, parts));
                        }
                    }
                    return 0;
                }));
            }
            for (Future<Integer> r : results) r.get();
        } finally {
            callers.shutdownNow();
        }
    }

    /** After a pause longer than the helpers' spin they park; the next loop must wake them. */
    @Test
    void parkedHelpersWakeForTheNextLoop() throws Exception {
        for (int round = 0; round < 5; round++) {
            Thread.sleep(2 + ParallelLoops.SPIN_NANOS / 1_000_000);
            int[] visits = new int[100];
            int parts = ParallelLoops.run(100, Long.MAX_VALUE, (from, to, part) -> {
                for (int i = from; i < to; i++) visits[i] += part + 1;
            });
            assertThat(parts).isEqualTo(Math.min(ParallelLoops.MAX_PARTS, 100));
            assertThat(visits[99]).as("last index, in the last part").isEqualTo(parts);
        }
    }

    /**
     * A loop nested in a part runs on that part's thread, even when the helpers come free while
     * the part runs: caller B runs its parts in turn because A holds the helpers; A lets go during
     * B's first part, before B's nested loop starts.
     */
    @Test
    void aLoopNestedInAPartStaysOnItsThread() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ParallelLoops.MAX_PARTS >= 2, "needs helpers to hand out");
        java.util.concurrent.CountDownLatch aHoldsHelpers = new java.util.concurrent.CountDownLatch(1),
                aMayFinish = new java.util.concurrent.CountDownLatch(1);
        ExecutorService a = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> first = a.submit(() -> ParallelLoops.runInParts(2, 2, (from, to, part) -> {
                if (part != 1) return;
                aHoldsHelpers.countDown();
                await(aMayFinish);
            }));
            await(aHoldsHelpers);
            Thread b = Thread.currentThread();
            List<Thread> nestedThreads = java.util.Collections.synchronizedList(new ArrayList<>());
            ParallelLoops.runInParts(2, 2, (from, to, part) -> {
                if (part != 0) return;
                aMayFinish.countDown();
                try {
                    first.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                ParallelLoops.runInParts(100, 2, (f, t, p) -> nestedThreads.add(Thread.currentThread()));
            });
            assertThat(nestedThreads).hasSize(2).containsOnly(b);
        } finally {
            a.shutdownNow();
        }
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            assertThat(latch.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The part whose range {@code [n*p/parts, n*(p+1)/parts)} holds index i. */
    private static int expectedPart(int i, int n, int parts) {
        int p = 0;
        while (p + 1 < parts && (long) n * (p + 1) / parts <= i) p++;
        return p;
    }

    @Test
    void threadCountComesFromTheSettingUpToTheCoresElseTheCores() {
        assertThat(ParallelLoops.threads("1", 8)).isEqualTo(1);
        assertThat(ParallelLoops.threads(" 3 ", 8)).isEqualTo(3);
        assertThat(ParallelLoops.threads("16", 2)).as("never more than the cores").isEqualTo(2);
        assertThat(ParallelLoops.threads("2,1", 8)).as("OpenMP nested list").isEqualTo(2);
        assertThat(ParallelLoops.threads(null, 4)).isEqualTo(4);
        assertThat(ParallelLoops.threads("many", 4)).isEqualTo(4);
        assertThat(ParallelLoops.threads("0", 4)).isEqualTo(4);
    }
    @Test
    void helpersRunAPartAtTheirCallersNiceness() throws Exception {
        assertThat(ParallelLoops.MAX_PARTS).as("this test needs two cores").isGreaterThan(1);
        int[] seen = new int[ParallelLoops.MAX_PARTS];
        Thread caller = new Thread(() -> {
            assertThat(io.trainserve.engine.NativeRuntime.setThreadNice(7)).isTrue();
            ParallelLoops.runInParts(ParallelLoops.MAX_PARTS, ParallelLoops.MAX_PARTS, (from, to, part) -> seen[part] = osNice());
        });
        caller.start();
        caller.join();
        for (int part = 0; part < seen.length; part++) assertThat(seen[part]).as("niceness of part %d", part).isEqualTo(7);
        // the next caller at full priority gets full-priority helpers back
        int[] after = new int[ParallelLoops.MAX_PARTS];
        ParallelLoops.runInParts(ParallelLoops.MAX_PARTS, ParallelLoops.MAX_PARTS, (from, to, part) -> after[part] = osNice());
        assertThat(after).containsOnly(0);
    }

    /** The kernel's niceness of the calling thread: field 19 of /proc/thread-self/stat. */
    static int osNice() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
