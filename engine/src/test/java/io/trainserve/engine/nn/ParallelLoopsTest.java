package io.trainserve.engine.nn;

import org.junit.jupiter.api.Test;

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
}
