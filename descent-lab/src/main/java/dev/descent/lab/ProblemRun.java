package dev.descent.lab;

import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Param;
import dev.descent.optim.ParamStore;
import dev.descent.optim.problem.Problem;

import java.io.IOException;

/**
 * One optimizer walking down one test problem. The point lives in a {@link ParamStore} as a single
 * parameter {@code w}; each step writes {@link Problem#gradient} into the parameter's gradient and calls
 * {@link Optimizer#step()}.
 *
 * <p>Building a run validates everything it needs, so that a command can build all its runs (and report
 * bad input) before it writes anything.
 */
final class ProblemRun {
    /** The loss {@link Summary#firstStepAtTarget()} looks for. */
    static final double TARGET_LOSS = 1e-3;

    /** Receives row k of a run: the point after k steps and the loss there (k = 0 is the start). */
    @FunctionalInterface
    interface RowSink {
        void row(int step, float loss, float[] point) throws IOException;
    }

    /**
     * What a run ended with.
     *
     * @param finalLoss         the loss after the last step
     * @param finalPoint        the point after the last step
     * @param firstStepAtTarget the first step whose loss is at most {@link #TARGET_LOSS}, or -1
     * @param firstNonFinite    the first step whose loss or point is not finite, or -1
     */
    record Summary(float finalLoss, float[] finalPoint, int firstStepAtTarget, int firstNonFinite) {
    }

    private final Problem problem;
    private final Param w;
    private final Optimizer optimizer;

    /**
     * @param init the starting point, of the problem's dimension
     * @throws IllegalArgumentException when the optimizer cannot be built
     */
    ProblemRun(Problem problem, float[] init, OptimizerSpec spec) {
        if (init.length != problem.dimension()) {
            throw new IllegalArgumentException(problem.id() + " takes " + problem.dimension()
                    + " coordinates but the starting point has " + init.length);
        }
        this.problem = problem;
        this.w = ParamStore.of("w", init).param(0);
        this.optimizer = spec.build(w.store().params());
    }

    /** Takes {@code steps} steps, handing rows 0..steps to {@code sink}. */
    Summary run(int steps, RowSink sink) throws IOException {
        float[] gradient = new float[problem.dimension()];
        float[] point = w.values();
        float loss = problem.loss(point);
        int atTarget = -1;
        int nonFinite = -1;
        for (int k = 0; ; k++) {
            if (atTarget < 0 && loss <= TARGET_LOSS) {
                atTarget = k;
            }
            if (nonFinite < 0 && !allFinite(loss, point)) {
                nonFinite = k;
            }
            sink.row(k, loss, point);
            if (k == steps) {
                return new Summary(loss, point, atTarget, nonFinite);
            }
            optimizer.step(() -> { // one evaluation for most optimizers, several for lbfgs
                float[] at = w.values();
                problem.gradient(at, gradient);
                w.setGrad(gradient);
                return problem.loss(at);
            });
            point = w.values();
            loss = problem.loss(point);
        }
    }

    private static boolean allFinite(float loss, float[] point) {
        if (!Float.isFinite(loss)) {
            return false;
        }
        for (float x : point) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
