package dev.descent.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-over of shares to persistent workers: every share runs once, failures and interrupts come back. */
@Timeout(60)
class StepWorkersTest {
    private static final StepWorkers workers = new StepWorkers(2, "step-workers-test");

    @Test
    void runsEveryShareOnceTheLastOnTheCaller() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(3);
            String[] threads = new String[3];
            List<Runnable> shares = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int k = i;
                shares.add(() -> {
                    runs.incrementAndGet(k);
                    threads[k] = Thread.currentThread().getName();
                });
            }
            workers.runAll(shares);
            for (int i = 0; i < 3; i++) {
                assertEquals(1, runs.get(i), "share " + i + " in round " + round);
            }
            assertEquals(Thread.currentThread().getName(), threads[2]);
            assertEquals("step-workers-test-1", threads[0]);
            assertEquals("step-workers-test-2", threads[1]);
            if (round % 50 == 0) {
                Thread.sleep(5); // long enough for the workers to stop spinning and park
            }
        }
    }

    @Test
    void waitsForASlowShareAndSeesItsWrites() {
        int[] written = new int[1];
        workers.runAll(List.of(() -> {
            sleep(20); // the caller stops spinning and parks meanwhile
            written[0] = 42;
        }, () -> { }));
        assertEquals(42, written[0]);
    }

    @Test
    void aWorkersFailureComesBackAfterEveryShareFinished() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        AtomicInteger finished = new AtomicInteger();
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> workers.runAll(List.of(
                () -> {
                    throw boom;
                },
                () -> {
                    sleep(10);
                    finished.incrementAndGet();
                },
                finished::incrementAndGet)));
        assertSame(boom, thrown);
        assertEquals(2, finished.get());
        AtomicInteger after = new AtomicInteger();
        workers.runAll(List.of(after::incrementAndGet, after::incrementAndGet));
        assertEquals(2, after.get(), "the workers still run shares after a failure");
    }

    @Test
    void theCallersFailureComesFirstAndErrorsAreNotWrapped() {
        IllegalStateException own = new IllegalStateException("own");
        assertSame(own, assertThrows(IllegalStateException.class, () -> workers.runAll(List.of(
                () -> {
                    throw new IllegalArgumentException("worker's");
                },
                () -> {
                    throw own;
                }))));
        AssertionError error = new AssertionError("error");
        assertSame(error, assertThrows(AssertionError.class, () -> workers.runAll(List.of(
                () -> {
                    throw error;
                },
                () -> { }))));
    }

    @Test
    void aShareThatSplitsAgainRunsItsSharesItself() {
        String caller = Thread.currentThread().getName();
        List<String> inner = new ArrayList<>();
        workers.runAll(List.of(() -> { }, () -> workers.runAll(List.of(
                () -> inner.add(Thread.currentThread().getName()),
                () -> inner.add(Thread.currentThread().getName())))));
        assertEquals(List.of(caller, caller), inner);
    }

    @Test
    void concurrentCallersAllFinish() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            callers.add(new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    workers.runAll(List.of(runs::incrementAndGet, runs::incrementAndGet, runs::incrementAndGet));
                }
            }));
        }
        callers.forEach(Thread::start);
        for (Thread t : callers) {
            t.join();
        }
        assertEquals(4 * 500 * 3, runs.get());
    }

    @Test
    void anInterruptedCallerStillWaitsAndKeepsItsInterrupt() {
        AtomicInteger finished = new AtomicInteger();
        Thread.currentThread().interrupt();
        try {
            workers.runAll(List.of(() -> {
                sleep(20);
                finished.incrementAndGet();
            }, () -> { }));
            assertEquals(1, finished.get());
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is kept");
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void refusesMoreSharesThanThreads() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> workers.runAll(List.of(() -> { }, () -> { }, () -> { }, () -> { })));
        assertEquals("4 shares for 2 workers and the caller", e.getMessage());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
