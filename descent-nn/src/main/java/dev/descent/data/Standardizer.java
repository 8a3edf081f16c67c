package dev.descent.data;

import java.util.Arrays;

/**
 * Per-feature standardisation {@code x' = (x - mean) / std}, with the mean and the population standard
 * deviation (divided by n, as scikit-learn's {@code StandardScaler}) of each feature computed on one data
 * set, the training set, and applied to any set of the same width. A feature that is constant in the
 * training set is only centred (its std is taken as 1).
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] std;

    private Standardizer(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** The statistics of {@code train}'s features, computed in double precision. */
    public static Standardizer fit(Dataset train) {
        int d = train.featureCount();
        int n = train.size();
        if (n == 0) {
            throw new IllegalArgumentException(train.name() + ": cannot standardise with the statistics of an empty set");
        }
        float[] x = train.features();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] std = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double dev = x[i * d + j] - mean[j];
                std[j] += dev * dev;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / n);
            if (std[j] == 0) {
                std[j] = 1;
            }
        }
        return new Standardizer(mean, std);
    }

    /** The per-feature means; a copy. */
    public double[] mean() {
        return mean.clone();
    }

    /** The per-feature standard deviations (1 for constant features); a copy. */
    public double[] std() {
        return std.clone();
    }

    /** {@code data} with every feature standardised by these statistics; a new set. */
    public Dataset apply(Dataset data) {
        int d = mean.length;
        if (data.featureCount() != d) {
            throw new IllegalArgumentException(data.name() + " has " + data.featureCount()
                    + " features per example but the standardizer was fitted on " + d);
        }
        float[] x = data.features();
        float[] out = new float[x.length];
        for (int i = 0; i < data.size(); i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) ((x[i * d + j] - mean[j]) / std[j]);
            }
        }
        return data.withFeatures(out);
    }

    @Override
    public String toString() {
        return "standardizer(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
