package dev.descent.optim;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of persistent worker threads that help the calling thread through a job cut into numbered chunks,
 * each thread claiming the next unclaimed chunk until none is left.
 *
 * <p>Why chunks claimed on the fly rather than one fixed share per thread: waking a parked thread on this kind of
 * virtual machine takes 30-100 µs and more when the host is busy, and another process can take a core for a
 * while. With fixed shares the step then lasts a share plus the delay; here the caller (and any thread that is
 * running) takes the chunks a late thread would have done, so a delay costs half as much and a worker that wakes
 * after the last chunk was claimed costs nothing. Which thread runs a chunk never changes its result: a job's
 * chunks must be independent of one another.
 *
 * <p>Why spin: between back-to-back steps a parked worker would pay the wake-up every step, so each worker spins
 * ({@link Thread#onSpinWait()}) for {@code descent.spinMicros} (default 50 µs) after its last chunk before it parks,
 * and the caller spins as long for the chunks still running before it parks. The spin is bounded so that a
 * training loop, whose steps are milliseconds apart, leaves the workers parked instead of burning a core.
 *
 * <p>One job at a time uses the workers. A call that finds them busy (another thread stepping, or a chunk that
 * itself splits work) runs all its chunks on its own thread. After a chunk fails no further chunk starts; the
 * call returns once the chunks already running have finished, rethrowing the first failure recorded as it was
 * when it is a {@link RuntimeException} or an {@link Error}, else wrapped in an {@link IllegalStateException}.
 */
final class StepWorkers {
    /** What a job does with each of its chunks. */
    @FunctionalInterface
    interface Chunks {
        /** Runs chunk number {@code chunk}. */
        void run(int chunk);
    }

    /** How long either side spins before it parks. */
    private static final long SPIN_NANOS = Math.max(0, Long.getLong("descent.spinMicros", 50)) * 1000;

    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The running job, or null; workers read it after they see {@link #posted} change. */
    private volatile Job current;
    /** Counts the jobs posted; written after {@link #current}. */
    private volatile long posted;

    /** Starts {@code count} daemon worker threads named {@code name-1}, {@code name-2}, .... */
    StepWorkers(int count, String name) {
        workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker();
            Thread t = new Thread(workers[i], name + "-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    /** Runs chunks {@code 0} to {@code chunks - 1} of {@code body} and returns when all have finished. */
    void run(int chunks, Chunks body) {
        if (chunks <= 1 || workers.length == 0 || !busy.compareAndSet(false, true)) {
            for (int c = 0; c < chunks; c++) {
                body.run(c);
            }
            return;
        }
        Job job = new Job(chunks, body);
        try {
            current = job;
            posted++; // only the thread holding busy writes it
            for (Worker w : workers) {
                if (w.idle) {
                    LockSupport.unpark(w.thread);
                }
            }
            job.work();
            job.awaitFinished();
        } finally {
            current = null; // the workers must not keep the step's arrays reachable after it
            busy.set(false);
        }
        Throwable failure = job.failure.get();
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * One turn of a bounded spin that began at {@code start}: waits a moment and returns false while the spin
     * lasts, returns true (wait no more, park) once {@link #SPIN_NANOS} have passed.
     */
    private static boolean spun(long start) {
        if (System.nanoTime() - start < SPIN_NANOS) {
            Thread.onSpinWait();
            return false;
        }
        return true;
    }

    /**
     * One call's chunks and their progress. No wake-up is lost: the caller, about to park, publishes itself in
     * {@code waiting} and then reads {@code finished} again, while the thread that finishes the last chunk
     * increments {@code finished} and then reads {@code waiting}; both are volatile, so one sees the other.
     */
    private static final class Job {
        final int chunks;
        final Chunks body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile Thread waiting;

        Job(int chunks, Chunks body) {
            this.chunks = chunks;
            this.body = body;
        }

        /** Claims and runs chunks until none is left (a late thread finds none and returns at once). */
        void work() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                if (failure.get() == null) {
                    try {
                        body.run(c);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
                if (finished.incrementAndGet() == chunks) {
                    Thread t = waiting;
                    if (t != null) {
                        LockSupport.unpark(t);
                    }
                }
            }
        }

        /** Waits for the chunks other threads still run; they must not be writing when the step returns. */
        void awaitFinished() {
            long start = System.nanoTime();
            while (finished.get() < chunks) {
                if (!spun(start)) {
                    continue;
                }
                waiting = Thread.currentThread();
                boolean interrupted = false;
                while (finished.get() < chunks) {
                    LockSupport.park(this);
                    // Wait on when interrupted (a chunk must not be left running), and restore the interrupt after.
                    interrupted |= Thread.interrupted();
                }
                waiting = null;
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * One worker thread: waits for a job to be posted, helps with it, and waits again. No wake-up is lost: the
     * worker, about to park, sets {@code idle} and then reads {@code posted} again, while the caller writes
     * {@code posted} and then reads {@code idle}.
     */
    private final class Worker implements Runnable {
        Thread thread;
        volatile boolean idle;

        /** Helps with the running job, if any is left (in a method of its own, so no local keeps the job after). */
        private void help() {
            Job job = current;
            if (job != null) {
                job.work();
            }
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long start = System.nanoTime();
                while (posted == seen) {
                    if (!spun(start)) {
                        continue;
                    }
                    idle = true;
                    while (posted == seen) {
                        LockSupport.park(this);
                        Thread.interrupted(); // nothing interrupts a worker on purpose; a stray interrupt must not make it spin
                    }
                    idle = false;
                }
                seen = posted;
                help();
            }
        }
    }
}
