package dev.descent.lab.tune;

import java.util.List;

/**
 * Asynchronous successive halving (Li, Jamieson, Rostamizadeh, Gonina, Hardt, Recht, Ben-Tzur and
 * Talwalkar, "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020, arXiv:1810.05934, 2018):
 * rungs sit at {@code min_resource * eta^k} epochs (k = 0, 1, ...), and a trial goes on past a rung only if
 * its score is among the best {@code max(1, floor(n / eta))} of the n trials that reached that rung so far,
 * itself included (ties go to the earlier trial). A trial never waits for a rung to fill: the first trial at
 * a rung always goes on, as in the paper and in Optuna's {@code SuccessiveHalvingPruner}.
 */
public final class AshaPruner implements Pruner {
    private final int minResource;
    private final int eta;

    /**
     * @param minResource the first rung's epoch, at least 1
     * @param eta         the reduction factor, at least 2: one trial in eta goes on past each rung
     */
    public AshaPruner(int minResource, int eta) {
        if (minResource < 1) {
            throw new IllegalArgumentException("asha min_resource " + minResource + ": must be at least 1");
        }
        if (eta < 2) {
            throw new IllegalArgumentException("asha eta " + eta + ": must be at least 2");
        }
        this.minResource = minResource;
        this.eta = eta;
    }

    @Override
    public boolean decidesAt(int epoch) {
        if (epoch < minResource || epoch % minResource != 0) {
            return false;
        }
        long r = epoch / minResource;
        while (r % eta == 0) {
            r /= eta;
        }
        return r == 1;
    }

    @Override
    public boolean shouldPrune(int epoch, double score, List<Double> earlier) {
        int n = earlier.size() + 1;
        int keep = Math.max(1, n / eta);
        int better = 0;
        for (double s : earlier) {
            if (s <= score) {
                better++;
            }
        }
        return better >= keep;
    }

    @Override
    public String toString() {
        return "asha(min_resource=" + minResource + ", eta=" + eta + ")";
    }
}
