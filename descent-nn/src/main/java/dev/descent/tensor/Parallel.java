package dev.descent.tensor;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs a few large chunks of one computation on the cores, through one persistent pool of daemon threads.
 *
 * <p>The calling thread runs chunk 0 and waits for the others, so {@code run(1, body)} costs nothing
 * beyond the call. A dispatch to a pooled thread costs tens of microseconds on the 2-core machines this
 * runs on, so callers split only work of a millisecond or more, and into about {@link #THREADS} chunks.
 * The system property {@code descent.threads} (default: available processors) sets the thread count; it
 * is read once, when this class initializes.
 */
public final class Parallel {

    /** How many threads a computation may use, the caller included (at least 1). */
    public static final int THREADS = threads(System.getProperty("descent.threads"));

    private static ExecutorService pool;
    /** Whether the current thread runs a chunk (the caller's chunk 0 included): a split there runs inline. */
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

    private Parallel() {
    }

    static int threads(String property) {
        if (property == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        int value;
        try {
            value = Integer.parseInt(property.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("descent.threads must be a positive integer, got '" + property + "'");
        }
        if (value < 1) {
            throw new IllegalArgumentException("descent.threads must be a positive integer, got " + value);
        }
        return value;
    }

    /**
     * How many chunks a computation starting here should be cut into to use the cores: {@link #THREADS},
     * or 1 inside a chunk of {@link #run}, where a further split would run inline anyway.
     */
    public static int available() {
        return INSIDE.get()[0] ? 1 : THREADS;
    }

    /**
     * Calls {@code body.accept(i)} for every i in [0, chunks), chunk 0 on the calling thread and the others
     * on the pool, and returns when all are done. With one thread, or when called from inside a chunk, the
     * calling thread runs them all in order (the caller's own chunk counts as inside). An exception in any chunk is rethrown here (unchecked
     * ones as they are).
     */
    public static void run(int chunks, IntConsumer body) {
        if (chunks < 1) {
            throw new IllegalArgumentException("chunks must be at least 1, got " + chunks);
        }
        boolean[] inside = INSIDE.get();
        if (chunks == 1 || THREADS == 1 || inside[0]) {
            // A chunk that splits again runs its pieces itself: waiting for the pool from inside it could
            // wait forever, or behind the other chunks.
            for (int i = 0; i < chunks; i++) {
                body.accept(i);
            }
            return;
        }
        ExecutorService workers = pool();
        Future<?>[] running = new Future<?>[chunks - 1];
        for (int i = 1; i < chunks; i++) {
            int chunk = i;
            running[i - 1] = workers.submit(() -> {
                boolean[] flag = INSIDE.get();
                flag[0] = true;
                try {
                    body.accept(chunk);
                } finally {
                    flag[0] = false;
                }
            });
        }
        RuntimeException failure = null;
        inside[0] = true;
        try {
            body.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            inside[0] = false;
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted while waiting for a chunk", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (failure == null) {
                    failure = cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(THREADS - 1, Worker::new);
        }
        return pool;
    }

    /** A pool thread. */
    private static final class Worker extends Thread {
        Worker(Runnable task) {
            super(task, "descent-parallel");
            setDaemon(true);
        }
    }
}
