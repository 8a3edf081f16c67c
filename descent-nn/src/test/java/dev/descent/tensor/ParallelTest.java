package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void runsEveryChunkOnce() {
        AtomicIntegerArray seen = new AtomicIntegerArray(7);
        Parallel.run(7, seen::incrementAndGet);
        for (int i = 0; i < 7; i++) {
            assertEquals(1, seen.get(i), "chunk " + i);
        }
    }

    @Test
    void nestedSplitsRunInline() {
        AtomicIntegerArray seen = new AtomicIntegerArray(9);
        Parallel.run(3, outer -> Parallel.run(3, inner -> seen.incrementAndGet(outer * 3 + inner)));
        for (int i = 0; i < 9; i++) {
            assertEquals(1, seen.get(i), "chunk " + i);
        }
    }

    @Test
    void rethrowsAChunksException() {
        IllegalStateException boom = new IllegalStateException("boom");
        for (int failing = 0; failing < 2; failing++) {
            int f = failing;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.run(2, i -> {
                if (i == f) {
                    throw boom;
                }
            }));
            assertSame(boom, e);
        }
    }

    @Test
    void threadCountProperty() {
        assertTrue(Parallel.THREADS >= 1);
        assertEquals(Runtime.getRuntime().availableProcessors(), Parallel.threads(null));
        assertEquals(3, Parallel.threads(" 3 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.threads("0"));
        assertEquals("descent.threads must be a positive integer, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.threads("two"));
        assertThrows(IllegalArgumentException.class, () -> Parallel.run(0, i -> { }));
    }
}
