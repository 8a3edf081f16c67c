package dev.descent.optim;

/**
 * An optimizer whose parameters hold a different point while training than the one to evaluate: the
 * schedule-free methods ({@link ScheduleFree}, and a {@link dev.descent.optim.transform.Chain} holding
 * {@code schedule_free}) train at y and answer with the averaged point x.
 *
 * <p>Call {@link #eval()} before evaluating, testing or saving the model and {@link #train()} before training
 * again; a step in eval mode throws IllegalStateException. An optimizer that has only one point (a chain without
 * {@code schedule_free}) is always training and ignores both calls.
 */
public interface TrainEvalSwitch {
    /** Whether every group is in train mode, the mode a step needs. */
    boolean isTraining();

    /** Switches to train mode: the parameters move to the point the gradient is taken at. */
    void train();

    /** Switches to eval mode: the parameters move to the point to evaluate, test and save. */
    void eval();
}
