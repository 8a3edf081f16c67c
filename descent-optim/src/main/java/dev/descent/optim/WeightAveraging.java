package dev.descent.optim;

import java.util.Arrays;
import java.util.Map;

/**
 * A wrapper that keeps an average of the weights the inner optimizer visits ({@link Ema}, {@link Swa}),
 * in a buffer {@code average} laid out like the parameters, and can swap it in for evaluation.
 *
 * <pre>
 *   opt.withAveraged(() -&gt; evaluate(model));     // or: opt.swapAveraged(); ...; opt.swapAveraged();
 * </pre>
 * Training goes on with the weights the inner optimizer produced; the average only shadows them.
 */
public abstract class WeightAveraging extends OptimizerWrapper {
    /** See {@link OptimizerWrapper#OptimizerWrapper(Algorithm, Map, Optimizer)}. */
    protected WeightAveraging(Algorithm algorithm, Map<String, Object> settings, Optimizer inner) {
        super(algorithm, settings, inner);
    }

    /** Whether {@code p} has an average yet (it has one once it has been averaged at least once). */
    public boolean hasAverage(Param p) {
        checkOwned(p);
        ParamState s = existingState(p);
        return s != null && s.has("average");
    }

    /**
     * A copy of the averaged values of {@code p}.
     *
     * @throws IllegalStateException when {@code p} has not been averaged yet
     */
    public float[] averaged(Param p) {
        if (!hasAverage(p)) {
            throw new IllegalStateException(name() + ": parameter '" + p.name() + "' has no average yet; " + whenAveraged());
        }
        float[] avg = state(p).buffer("average");
        return Arrays.copyOfRange(avg, p.offset(), p.offset() + p.size());
    }

    /**
     * Exchanges the values of every averaged parameter with its average; calling it again swaps back. Parameters
     * never averaged (never stepped) keep their values. Do not step while the average is swapped in.
     *
     * @throws IllegalStateException when no parameter has an average yet
     */
    public void swapAveraged() {
        boolean any = false;
        for (Param p : settings().params()) {
            ParamState s = existingState(p);
            if (s != null && s.has("average")) {
                any = true;
                float[] w = p.store().data();
                float[] avg = s.buffer("average");
                for (int i = p.offset(); i < p.offset() + p.size(); i++) {
                    float x = w[i];
                    w[i] = avg[i];
                    avg[i] = x;
                }
            }
        }
        if (!any) {
            throw new IllegalStateException(name() + ": there is no average to swap in yet; " + whenAveraged());
        }
    }

    /** Runs {@code action} with the averaged weights swapped in, and swaps them out again, even if it throws. */
    public void withAveraged(Runnable action) {
        swapAveraged();
        try {
            action.run();
        } finally {
            swapAveraged();
        }
    }

    /** When the first average is taken, for messages. */
    protected abstract String whenAveraged();

    private void checkOwned(Param p) {
        if (!settings().params().contains(p)) {
            throw new IllegalArgumentException(name() + ": parameter '" + p.name() + "' is not one this optimizer steps");
        }
    }
}
