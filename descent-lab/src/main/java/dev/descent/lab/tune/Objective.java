package dev.descent.lab.tune;

/**
 * What a study minimizes: a function from a trial (its spec text, its values and a way to report
 * intermediate scores) to a score, lower being better.
 *
 * <p>An objective that trains for epochs calls {@link Trial#report(int, double)} after each one, which throws
 * {@link TrialPrunedException} when the pruner stops the trial. Any other exception, or a score that is not
 * finite, marks the trial failed and the study goes on. For results that do not depend on thread timing the
 * objective must be a function of the trial alone (seed any randomness with {@link Trial#seed()}).
 */
@FunctionalInterface
public interface Objective {
    /**
     * Runs the trial.
     *
     * @param trial the sampled spec and values
     * @return the score, lower is better
     * @throws Exception any failure, which fails only this trial
     */
    double evaluate(Trial trial) throws Exception;
}
