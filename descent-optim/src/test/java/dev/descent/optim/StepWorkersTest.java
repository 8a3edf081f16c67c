package dev.descent.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jobs cut into chunks on persistent workers: every chunk runs once, failures and interrupts come back. */
@Timeout(60)
class StepWorkersTest {
    private static final StepWorkers WORKERS = new StepWorkers(2, "step-workers-test");

    @Test
    void runsEveryChunkOnce() throws InterruptedException {
        for (int round = 0; round < 300; round++) {
            int chunks = 1 + round % 37;
            AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
            WORKERS.run(chunks, runs::incrementAndGet);
            for (int c = 0; c < chunks; c++) {
                assertEquals(1, runs.get(c), "chunk " + c + " of " + chunks);
            }
            if (round % 60 == 0) {
                Thread.sleep(5); // long enough for the workers to stop spinning and park
            }
        }
    }

    @Test
    void workersTakeChunksBesideTheCaller() {
        // Chunk 0 waits for chunk 1 to start: this ends only if a second thread claims chunk 1.
        CountDownLatch second = new CountDownLatch(1);
        String[] threads = new String[2];
        WORKERS.run(2, c -> {
            threads[c] = Thread.currentThread().getName();
            if (c == 0) {
                await(second);
            } else {
                second.countDown();
            }
        });
        assertNotEquals(threads[0], threads[1]);
    }

    @Test
    void waitsForASlowChunkAndSeesItsWrites() {
        int[] written = new int[2];
        CountDownLatch second = new CountDownLatch(1);
        WORKERS.run(2, c -> {
            if (c == 0) {
                await(second);
            } else {
                second.countDown();
                sleep(20); // the caller stops spinning and parks meanwhile
            }
            written[c] = 42 + c;
        });
        assertEquals(42, written[0]);
        assertEquals(43, written[1]);
    }

    @Test
    void aFailureComesBackOnceNoChunkRuns() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        AtomicInteger running = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> WORKERS.run(50, c -> {
            running.incrementAndGet();
            try {
                if (c == 0) {
                    await(second); // chunk 1 fails on a worker while the caller is here
                    sleep(5);
                } else if (c == 1) {
                    second.countDown();
                    throw boom;
                } else {
                    sleep(1);
                }
            } finally {
                running.decrementAndGet();
            }
        }));
        assertSame(boom, thrown);
        assertEquals(0, running.get(), "no chunk is still running when the failure comes back");
        AtomicInteger after = new AtomicInteger();
        WORKERS.run(10, c -> after.incrementAndGet());
        assertEquals(10, after.get(), "the workers still run chunks after a failure");
    }

    @Test
    void errorsComeBackAsTheyAreAndCheckedExceptionsWrapped() {
        AssertionError error = new AssertionError("error");
        assertSame(error, assertThrows(AssertionError.class, () -> WORKERS.run(3, c -> {
            if (c == 2) {
                throw error;
            }
        })));
        Exception checked = new Exception("checked");
        IllegalStateException wrapped = assertThrows(IllegalStateException.class, () -> WORKERS.run(3, c -> {
            if (c == 1) {
                throwUnchecked(checked);
            }
        }));
        assertSame(checked, wrapped.getCause());
    }

    @Test
    void aChunkThatSplitsAgainRunsItsChunksItself() {
        List<String> inner = new ArrayList<>();
        CountDownLatch second = new CountDownLatch(1);
        WORKERS.run(2, c -> {
            if (c == 0) {
                await(second);
                return;
            }
            second.countDown();
            String self = Thread.currentThread().getName();
            WORKERS.run(3, i -> inner.add(Thread.currentThread().getName().equals(self) ? "same" : "other"));
        });
        assertEquals(List.of("same", "same", "same"), inner);
    }

    @Test
    void concurrentCallersAllFinish() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            callers.add(new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    WORKERS.run(7, c -> runs.incrementAndGet());
                }
            }));
        }
        callers.forEach(Thread::start);
        for (Thread t : callers) {
            t.join();
        }
        assertEquals(4 * 500 * 7, runs.get());
    }

    @Test
    void anInterruptedCallerStillWaitsAndKeepsItsInterrupt() {
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        Thread.currentThread().interrupt();
        try {
            WORKERS.run(2, c -> {
                if (c == 0) {
                    while (second.getCount() > 0) {
                        Thread.onSpinWait(); // no await: that would throw on the interrupted caller
                    }
                    return;
                }
                second.countDown();
                spin(20); // not sleep: the caller, interrupted, may be the thread that runs this chunk
                finished.incrementAndGet();
            });
            assertEquals(1, finished.get());
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is kept");
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void theWorkersDoNotKeepAFinishedJobReachable() throws InterruptedException {
        WeakReference<float[]> used = runAJobOnANewArray();
        for (int i = 0; i < 50 && used.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(used.get() == null, "the array the last job used is still reachable"); // not assertNull: it would print the array
    }

    /** Runs a job whose chunks read an array that nothing else references, and returns a weak reference to it. */
    private static WeakReference<float[]> runAJobOnANewArray() {
        float[] data = new float[1 << 20];
        float[] sums = new float[4];
        WORKERS.run(4, c -> sums[c] = data[c]);
        return new WeakReference<>(data);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void throwUnchecked(Throwable t) throws T {
        throw (T) t;
    }
}
