package dev.descent.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradient accumulation: an optimizer step every {@code k} micro-batches, on the weighted mean of their
 * gradients, so that a batch too large for memory trains as if it had been one batch.
 *
 * <pre>
 *   for each micro-batch j = 1..k:  compute gⱼ (the gradient of the micro-batch's mean loss);  accumulator.add(nⱼ)
 *   at j = k:                       g ← Σ nⱼ gⱼ / Σ nⱼ,  the hook (clipping, say),  optimizer.step(),  the sums start again
 * </pre>
 * {@link #flush()} steps early on fewer than k micro-batches, for the remainder at the end of an epoch.
 * With micro-batch sizes nⱼ as weights, g is exactly the gradient of the mean loss over the union of the
 * micro-batches (up to float rounding); {@link #add()} weighs every micro-batch equally, which is the same
 * when they are of equal size. This is what PyTorch users write by hand ({@code (loss / k).backward()}
 * every micro-batch, {@code step()} and {@code zero_grad()} every k-th) and what Optax's {@code MultiSteps}
 * does. The sums live in one float array per parameter store, laid out like the gradients; a parameter
 * whose gradient is undefined in a micro-batch adds nothing to it, and one undefined in all k stays
 * undefined, so the optimizer skips it. The gradients are read when {@link #add} is called, so each
 * micro-batch may overwrite them.
 */
public final class GradientAccumulator {
    private final Optimizer optimizer;
    private final int microBatches;
    private final List<Param> params = new ArrayList<>();
    private final Map<ParamStore, float[]> sums = new IdentityHashMap<>();
    private final Map<Param, Boolean> defined = new IdentityHashMap<>();
    private Runnable beforeStep = () -> { };
    private int pending;
    private double weight;

    /**
     * Steps {@code optimizer} every {@code microBatches} calls of {@link #add}.
     *
     * @throws IllegalArgumentException when {@code microBatches < 1}, or for an optimizer that needs a closure (lbfgs)
     */
    public GradientAccumulator(Optimizer optimizer, int microBatches) {
        if (microBatches < 1) {
            throw new IllegalArgumentException("gradient accumulation: microBatches=" + microBatches + " is invalid: must be >= 1");
        }
        if (optimizer instanceof Lbfgs) {
            throw new IllegalArgumentException("gradient accumulation: lbfgs re-evaluates a closure within each step, so its"
                    + " gradients cannot be accumulated over micro-batches");
        }
        this.optimizer = optimizer;
        this.microBatches = microBatches;
        for (ParamGroup g : optimizer.paramGroups()) {
            for (Param p : g.params()) {
                params.add(p);
                sums.computeIfAbsent(p.store(), s -> new float[s.size()]);
                defined.put(p, false);
            }
        }
    }

    /** The number of micro-batches per optimizer step. */
    public int microBatches() {
        return microBatches;
    }

    /** The micro-batches added since the last step (0 to k − 1). */
    public int pending() {
        return pending;
    }

    /** The optimizer that takes the steps. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Runs {@code hook} on the averaged gradients just before each optimizer step, such as
     * {@code () -> GradClip.clipGradNorm(params, 1.0)} to clip the accumulated gradient rather than each
     * micro-batch's; returns this accumulator.
     */
    public GradientAccumulator beforeStep(Runnable hook) {
        this.beforeStep = java.util.Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** Adds the current gradients with weight 1; returns true when this completed k micro-batches and the optimizer stepped. */
    public boolean add() {
        return add(1);
    }

    /**
     * Adds the current gradients with weight {@code batchSize} (the micro-batch's number of examples, when
     * each gradient is that of a mean loss); returns true when this completed k micro-batches and the
     * optimizer stepped on the weighted mean.
     *
     * @throws IllegalArgumentException when {@code batchSize} is not positive and finite
     */
    public boolean add(double batchSize) {
        if (!(batchSize > 0) || Double.isInfinite(batchSize)) {
            throw new IllegalArgumentException("gradient accumulation: batchSize=" + batchSize + " is invalid: must be > 0 and finite");
        }
        float w = (float) batchSize;
        for (Param p : params) {
            if (p.hasGrad()) {
                float[] sum = sums.get(p.store());
                float[] grad = p.store().grad();
                for (int i = p.offset(), end = i + p.size(); i < end; i++) {
                    sum[i] = Math.fma(w, grad[i], sum[i]);
                }
                defined.put(p, true);
            }
        }
        weight += batchSize;
        if (++pending < microBatches) {
            return false;
        }
        step();
        return true;
    }

    /**
     * Steps on the weighted mean of the micro-batches added since the last step, when there are fewer than k
     * of them (the short remainder at the end of an epoch); returns whether it stepped (false when none were
     * pending).
     */
    public boolean flush() {
        if (pending == 0) {
            return false;
        }
        step();
        return true;
    }

    private void step() {
        float scale = (float) (1 / weight);
        for (Param p : params) {
            float[] sum = sums.get(p.store());
            float[] grad = p.store().grad();
            if (defined.get(p)) {
                for (int i = p.offset(), end = i + p.size(); i < end; i++) {
                    grad[i] = sum[i] * scale;
                    sum[i] = 0;
                }
                p.markGradDefined();
            } else {
                p.zeroGrad(true);
            }
            defined.put(p, false);
        }
        pending = 0;
        weight = 0;
        beforeStep.run();
        optimizer.step();
    }
}
