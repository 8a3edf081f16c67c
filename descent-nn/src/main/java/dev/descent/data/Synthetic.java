package dev.descent.data;

import java.util.SplittableRandom;

/**
 * Small seeded data sets for tests and demonstrations: Gaussian blobs, two interleaved spirals and a noisy
 * linear regression. The same arguments give the same set on every machine; nothing draws from a global
 * random generator. Examples come in random order (not grouped by class), so any batch mixes the classes.
 */
public final class Synthetic {
    private Synthetic() {
    }

    /**
     * {@code k} Gaussian blobs ({@code classes}) in {@code d} dimensions ({@code dims}) (as scikit-learn's {@code make_blobs}): class c's centre
     * is drawn uniformly from {@code [-10, 10]^d}, and its examples are the centre plus independent normal
     * noise of standard deviation {@code std}. Class sizes differ by at most one.
     */
    public static Dataset blobs(int n, int k, int d, double std, long seed) {
        check(n >= 1, "n " + n + ": must be 1 or more");
        check(k >= 1, "classes " + k + ": must be 1 or more");
        check(d >= 1, "dims " + d + ": must be 1 or more");
        check(std >= 0 && Double.isFinite(std), "std " + std + ": must be a finite number, 0 or more");
        SplittableRandom random = new SplittableRandom(seed);
        double[] centres = new double[k * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = random.nextDouble(-10, 10);
        }
        int[] order = Shuffle.permutation(n, random.split());
        float[] x = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int row = order[i];
            int c = i % k;
            labels[row] = c;
            for (int j = 0; j < d; j++) {
                x[row * d + j] = (float) (centres[c * d + j] + std * random.nextGaussian());
            }
        }
        return Dataset.classification("blobs", new int[] {d}, x, labels, k);
    }

    /**
     * Two interleaved spirals in the plane (Lang and Witbrock, 1988), one class each, about one and a half
     * turns: a point at angle {@code t} (drawn as {@code 3 pi sqrt(u)}, u uniform, so points spread evenly
     * along the arm) lies at radius {@code t / 3 pi} in direction {@code t} for class 0 and {@code t + pi} for
     * class 1, plus normal noise of standard deviation {@code noise} on each coordinate. Points lie in about
     * {@code [-1, 1]^2}.
     */
    public static Dataset twoSpirals(int n, double noise, long seed) {
        check(n >= 2, "n " + n + ": must be 2 or more (one point per spiral at least)");
        check(noise >= 0 && Double.isFinite(noise), "noise " + noise + ": must be a finite number, 0 or more");
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = Shuffle.permutation(n, random.split());
        float[] x = new float[2 * n];
        int[] labels = new int[n];
        double turns = 3 * Math.PI;
        for (int i = 0; i < n; i++) {
            int row = order[i];
            int c = i % 2;
            double t = turns * Math.sqrt(random.nextDouble());
            double r = t / turns;
            double angle = t + c * Math.PI;
            labels[row] = c;
            x[2 * row] = (float) (r * Math.cos(angle) + noise * random.nextGaussian());
            x[2 * row + 1] = (float) (r * Math.sin(angle) + noise * random.nextGaussian());
        }
        return Dataset.classification("two-spirals", new int[] {2}, x, labels, 2);
    }

    /**
     * A linear regression set with the truth that made it.
     *
     * @param data    the examples
     * @param weights the true weights w
     * @param bias    the true bias b
     */
    public record Linear(Dataset data, float[] weights, float bias) {
    }

    /**
     * A noisy linear regression: weights w and bias b drawn from N(0, 1), features x from N(0, 1)^d, and
     * targets {@code y = w . x + b + noise * e} with e from N(0, 1).
     */
    public static Linear linear(int n, int d, double noise, long seed) {
        check(n >= 1, "n " + n + ": must be 1 or more");
        check(d >= 1, "dims " + d + ": must be 1 or more");
        check(noise >= 0 && Double.isFinite(noise), "noise " + noise + ": must be a finite number, 0 or more");
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[d];
        for (int j = 0; j < d; j++) {
            w[j] = (float) random.nextGaussian();
        }
        float b = (float) random.nextGaussian();
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double sum = b;
            for (int j = 0; j < d; j++) {
                float v = (float) random.nextGaussian();
                x[i * d + j] = v;
                sum += (double) w[j] * v;
            }
            y[i] = (float) (sum + noise * random.nextGaussian());
        }
        return new Linear(Dataset.regression("linear", new int[] {d}, x, y), w, b);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
