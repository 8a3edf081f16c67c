package dev.descent.lab.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Tree-structured Parzen Estimator: a Bayesian sampler that models where good trials lie (Bergstra,
 * Bardenet, Bengio and Kégl, "Algorithms for Hyper-Parameter Optimization", NeurIPS 2011); the reference
 * implementation followed is Optuna's {@code TPESampler} with its default independent (per-dimension) mode.
 *
 * <p>Trials are random until {@code startup} trials have completed or been pruned. After that, those n
 * trials are ranked, completed ones by score first, then pruned ones (those that went further first, then by
 * their last score, as Optuna does), and split at the quantile {@code gamma}: the first
 * {@code max(1, ceil(gamma * n))} are good, the rest bad; failed trials count as bad too (they show where
 * not to look). For each dimension independently:
 * <ul>
 *   <li>numbers: a Parzen estimator (a mixture of Gaussians truncated to the bounds, one per observation
 *       plus a prior component at the middle with the width of the range) is fitted to the good values,
 *       l(x), and another to the bad ones, g(x), in the transformed space ({@code ln x} for
 *       {@code loguniform}; integers on {@code [low-0.5, high+0.5]}, rounded). Each component's width is
 *       the larger distance to its sorted neighbours, clipped to {@code [range/min(100, n+1), range]};</li>
 *   <li>choices: l and g are the options' counts among good and bad trials plus one (Laplace smoothing);</li>
 *   <li>{@code candidates} values are drawn from l and the one with the largest l(x)/g(x) is taken, which
 *       maximizes expected improvement under the model.</li>
 * </ul>
 * Everything is drawn from a stream seeded by the seed and the trial's number, so the values are a function
 * of those and of the history.
 */
public final class TpeSampler implements Sampler {
    /** Completed trials by score, then pruned ones, those that went further first, then by their last score. */
    private static final Comparator<TrialRecord> RANKING = Comparator
            .comparingInt((TrialRecord r) -> r.state() == TrialState.COMPLETE ? 0 : 1)
            .thenComparingInt(r -> r.state() == TrialState.COMPLETE ? 0 : -r.lastEpoch())
            .thenComparingDouble(TrialRecord::score)
            .thenComparingInt(TrialRecord::number);

    private final long seed;
    private final int startup;
    private final double gamma;
    private final int candidates;

    /** A TPE sampler with 10 random startup trials, gamma 0.25 (Hyperopt's) and 24 candidates (Optuna's). */
    public TpeSampler(long seed) {
        this(seed, 10, 0.25, 24);
    }

    /**
     * @param seed       the seed
     * @param startup    random trials before the model is used, at least 1
     * @param gamma      the fraction of completed trials counted as good, in (0, 1)
     * @param candidates draws from l(x) per dimension, at least 1
     */
    public TpeSampler(long seed, int startup, double gamma, int candidates) {
        if (startup < 1) {
            throw new IllegalArgumentException("tpe startup " + startup + ": must be at least 1");
        }
        if (!(gamma > 0 && gamma < 1)) {
            throw new IllegalArgumentException("tpe gamma " + gamma + ": must be in (0, 1)");
        }
        if (candidates < 1) {
            throw new IllegalArgumentException("tpe candidates " + candidates + ": must be at least 1");
        }
        this.seed = seed;
        this.startup = startup;
        this.gamma = gamma;
        this.candidates = candidates;
    }

    @Override
    public double[] sample(SearchSpace space, int number, List<TrialRecord> history) {
        SplittableRandom random = Sampler.random(seed, number);
        List<TrialRecord> ranked = new ArrayList<>();
        List<TrialRecord> bad = new ArrayList<>();
        for (TrialRecord r : history) {
            (r.state() == TrialState.FAILED ? bad : ranked).add(r);
        }
        if (ranked.size() < startup) {
            return RandomSampler.draw(space, random);
        }
        ranked.sort(RANKING);
        int nGood = Math.max(1, (int) Math.ceil(gamma * ranked.size()));
        List<TrialRecord> good = ranked.subList(0, nGood);
        bad.addAll(ranked.subList(nGood, ranked.size()));
        List<SearchSpace.Dimension> dims = space.dimensions();
        double[] values = new double[dims.size()];
        for (int i = 0; i < values.length; i++) {
            Distribution d = dims.get(i).distribution();
            values[i] = d instanceof Distribution.Choice c
                    ? choose(c.options().size(), column(good, i), column(bad, i), random)
                    : number(d, column(good, i), column(bad, i), random);
        }
        return values;
    }

    private static double[] column(List<TrialRecord> records, int dimension) {
        double[] column = new double[records.size()];
        for (int k = 0; k < column.length; k++) {
            column[k] = records.get(k).values()[dimension];
        }
        return column;
    }

    private double choose(int options, double[] good, double[] bad, SplittableRandom random) {
        double[] l = smoothedCounts(options, good);
        double[] g = smoothedCounts(options, bad);
        double lTotal = Arrays.stream(l).sum();
        int best = -1;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates; c++) {
            double u = random.nextDouble() * lTotal;
            int option = 0;
            while (option < options - 1 && u >= l[option]) {
                u -= l[option++];
            }
            double ratio = Math.log(l[option]) - Math.log(g[option] / Arrays.stream(g).sum() * lTotal);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = option;
            }
        }
        return best;
    }

    private static double[] smoothedCounts(int options, double[] observed) {
        double[] counts = new double[options];
        Arrays.fill(counts, 1.0);
        for (double x : observed) {
            counts[(int) x] += 1;
        }
        return counts;
    }

    private double number(Distribution d, double[] good, double[] bad, SplittableRandom random) {
        double low;
        double high;
        boolean log = false;
        if (d instanceof Distribution.IntUniform u) {
            low = u.low() - 0.5;
            high = u.high() + 0.5;
        } else {
            Distribution.Uniform u = (Distribution.Uniform) d;
            low = u.lowInternal();
            high = u.highInternal();
            log = u.log();
        }
        ParzenEstimator l = new ParzenEstimator(internal(good, log), low, high);
        ParzenEstimator g = new ParzenEstimator(internal(bad, log), low, high);
        double best = Double.NaN;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates; c++) {
            double x = l.sample(random);
            double ratio = l.logDensity(x) - g.logDensity(x);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = x;
            }
        }
        if (d instanceof Distribution.IntUniform u) {
            return Math.max(u.low(), Math.min(u.high(), Math.round(best)));
        }
        return ((Distribution.Uniform) d).fromInternal(best);
    }

    private static double[] internal(double[] values, boolean log) {
        double[] t = values.clone();
        if (log) {
            for (int i = 0; i < t.length; i++) {
                t[i] = Math.log(t[i]);
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "tpe(seed=" + seed + ", startup=" + startup + ", gamma=" + gamma + ", candidates=" + candidates + ")";
    }

    /** An equally weighted mixture of Gaussians truncated to [low, high]: one per observation and a wide prior. */
    static final class ParzenEstimator {
        private final double[] mu;
        private final double[] sigma;
        private final double[] logMass;
        private final double low;
        private final double high;

        ParzenEstimator(double[] observations, double low, double high) {
            this.low = low;
            this.high = high;
            int n = observations.length;
            double range = high - low;
            double prior = 0.5 * (low + high);
            double[] all = Arrays.copyOf(observations, n + 1);
            all[n] = prior;
            Arrays.sort(all);
            mu = all;
            sigma = new double[n + 1];
            logMass = new double[n + 1];
            double minSigma = range / Math.min(100.0, n + 1.0);
            boolean priorSeen = false;
            for (int i = 0; i <= n; i++) {
                double s;
                if (!priorSeen && mu[i] == prior) {
                    priorSeen = true;
                    s = range;
                } else {
                    double left = mu[i] - (i == 0 ? low : mu[i - 1]);
                    double right = (i == n ? high : mu[i + 1]) - mu[i];
                    s = Math.min(range, Math.max(minSigma, Math.max(left, right)));
                }
                sigma[i] = s;
                logMass[i] = Math.log(Math.max(1e-300, phi((high - mu[i]) / s) - phi((low - mu[i]) / s)));
            }
        }

        double sample(SplittableRandom random) {
            int i = random.nextInt(mu.length);
            for (int attempt = 0; attempt < 100; attempt++) {
                double x = mu[i] + sigma[i] * gaussian(random);
                if (x >= low && x <= high) {
                    return x;
                }
            }
            return Math.max(low, Math.min(high, mu[i]));
        }

        double logDensity(double x) {
            double max = Double.NEGATIVE_INFINITY;
            double[] terms = new double[mu.length];
            for (int i = 0; i < mu.length; i++) {
                double z = (x - mu[i]) / sigma[i];
                terms[i] = -0.5 * z * z - Math.log(sigma[i]) - logMass[i];
                max = Math.max(max, terms[i]);
            }
            double sum = 0;
            for (double t : terms) {
                sum += Math.exp(t - max);
            }
            return max + Math.log(sum / mu.length) - 0.5 * Math.log(2 * Math.PI);
        }

        private static double gaussian(SplittableRandom random) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }

        /** The standard normal distribution function, through erfc (Numerical Recipes' erfcc, relative error below 1.2e-7). */
        static double phi(double z) {
            double x = -z / Math.sqrt(2);
            double t = 1 / (1 + 0.5 * Math.abs(x));
            double erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                    + t * (-0.82215223 + t * 0.17087277)))))))));
            return 0.5 * (x >= 0 ? erfc : 2 - erfc);
        }
    }
}
