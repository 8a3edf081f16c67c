package dev.descent.optim;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of persistent worker threads that run the shares of one split step beside the calling thread,
 * handing work over through a volatile field instead of a queue and a future.
 *
 * <p>Why not an {@code ExecutorService}: its workers park on a queue and the caller parks on a future, so a
 * split step pays a park and an unpark each way, which on a virtual machine costs tens of microseconds and
 * more when the host is busy. Here each side first spins for a bounded time ({@code descent.spinMicros},
 * default 50 µs, on {@link Thread#onSpinWait()}) on a field the other side writes, and parks only when the
 * wait lasts longer: back-to-back steps hand over without a system call, while a training loop, whose steps
 * are milliseconds apart, leaves the workers parked, not burning a core.
 *
 * <p>One step at a time uses the workers. A call that finds them busy (another thread stepping, or a share
 * that itself splits work) runs all its shares on its own thread, which gives the same bits since every share
 * is independent of where it runs. The first failure (the caller's own share first, then the workers' in
 * order) is rethrown once every share has finished, so no worker is still writing when the step returns.
 */
final class StepWorkers {
    /** How long either side spins before it parks. */
    private static final long SPIN_NANOS = Math.max(0, Long.getLong("descent.spinMicros", 50)) * 1000;

    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();

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

    /** The number of worker threads (the calling thread comes on top). */
    int size() {
        return workers.length;
    }

    /**
     * Runs every share and returns when all have finished: the last on the calling thread, the others one per
     * worker. At most {@link #size()} + 1 shares. A share's exception or error is rethrown as it was when it is
     * a {@link RuntimeException} or an {@link Error}, else wrapped in an {@link IllegalStateException}.
     */
    void runAll(List<Runnable> shares) {
        if (shares.size() > workers.length + 1) {
            throw new IllegalArgumentException(shares.size() + " shares for " + workers.length + " workers and the caller");
        }
        if (!busy.compareAndSet(false, true)) {
            for (Runnable share : shares) {
                share.run();
            }
            return;
        }
        try {
            int handed = shares.size() - 1;
            for (int i = 0; i < handed; i++) {
                workers[i].hand(shares.get(i));
            }
            Throwable failure = null;
            try {
                shares.get(handed).run();
            } catch (Throwable e) {
                failure = e;
            }
            for (int i = 0; i < handed; i++) {
                Throwable f = workers[i].await();
                if (failure == null) {
                    failure = f;
                }
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            busy.set(false);
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
     * One worker: a slot for its share, and who to wake when the slot fills or empties. Lost wake-ups cannot
     * happen: a side about to park first publishes itself ({@code idle} or {@code waiting}) and then reads the
     * slot again, while the other side writes the slot and then reads that field; all are volatile, so at least
     * one of the two sees the other's write.
     */
    private static final class Worker implements Runnable {
        Thread thread;
        /** The share to run: set by the caller, cleared by the worker when it has run. */
        private volatile Runnable share;
        /** What the last share threw, or null; written before {@code share} is cleared. */
        private volatile Throwable failure;
        /** The worker, while it may be parked waiting for a share. */
        private volatile Thread idle;
        /** The caller, while it may be parked waiting for the share to finish. */
        private volatile Thread waiting;

        /** Gives the worker its next share (it has none now) and wakes it if it parked. */
        void hand(Runnable s) {
            failure = null;
            share = s;
            Thread t = idle;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        /** Waits until the share handed last has run and returns its failure, or null. */
        Throwable await() {
            long start = System.nanoTime();
            while (share != null) {
                if (!spun(start)) {
                    continue;
                }
                waiting = Thread.currentThread();
                boolean interrupted = false;
                while (share != null) {
                    LockSupport.park(this);
                    // A share must not be left running when the step returns: wait on, restore the interrupt after.
                    interrupted |= Thread.interrupted();
                }
                waiting = null;
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return failure;
        }

        @Override
        public void run() {
            while (true) {
                Runnable s = next();
                try {
                    s.run();
                } catch (Throwable e) {
                    failure = e;
                }
                share = null;
                Thread t = waiting;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }

        /** Waits for a share: spinning first, then parked. */
        private Runnable next() {
            long start = System.nanoTime();
            Runnable s;
            while ((s = share) == null) {
                if (!spun(start)) {
                    continue;
                }
                idle = thread;
                while ((s = share) == null) {
                    LockSupport.park(this);
                    Thread.interrupted(); // nothing interrupts a worker on purpose; a stray interrupt must not make it spin
                }
                idle = null;
            }
            return s;
        }
    }
}
