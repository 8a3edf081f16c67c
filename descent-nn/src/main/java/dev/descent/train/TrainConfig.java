package dev.descent.train;

import java.util.List;
import java.util.Locale;

/**
 * What a training run does, everything it needs besides the data: the model, optimizer and schedule specs
 * (the project's spec grammar), parameter-group rules, gradient clipping, the number of epochs, the batch
 * size, the seed every random choice comes from, early stopping, and the data's name for the record.
 * Build one with {@link #builder()}; the values shown there are the defaults.
 *
 * @param model            the model spec, such as {@code mlp(hidden=[128], dropout=0.2)}
 * @param optimizer        the optimizer spec, such as {@code adam(lr=0.001)}
 * @param schedule         the learning-rate schedule spec, or null for a constant rate
 * @param scheduleEvery    whether the schedule steps after every batch or after every epoch
 * @param groupRules       parameter-group rules such as {@code bias: weight_decay=0}, in order
 * @param clipNorm         the largest global 2-norm of the gradient (PyTorch's {@code clip_grad_norm_}),
 *                         or 0 for no clipping
 * @param epochs           the number of passes over the training set
 * @param batchSize        examples per step: 1 is stochastic, the whole set full-batch gradient descent
 * @param seed             the seed of the initial weights, the shuffles and the dropout masks
 * @param earlyStopping    when to stop before {@code epochs}, or null never to
 * @param data             the data set's name, recorded in the summary
 * @param nonFinite        what a batch whose loss is NaN or infinite does: stop the run, or skip the batch
 * @param accumulate       batches per optimizer step: their gradients are averaged (weighted by their sizes)
 *                         and clipped together, so the step sees {@code accumulate * batchSize} examples
 */
public record TrainConfig(String model, String optimizer, String schedule, ScheduleEvery scheduleEvery,
        List<String> groupRules, double clipNorm, int epochs, int batchSize, long seed, EarlyStopping earlyStopping,
        String data, NonFinite nonFinite, int accumulate) {

    /** A configuration that stops on a non-finite loss and steps after every batch. */
    public TrainConfig(String model, String optimizer, String schedule, ScheduleEvery scheduleEvery,
            List<String> groupRules, double clipNorm, int epochs, int batchSize, long seed, EarlyStopping earlyStopping,
            String data) {
        this(model, optimizer, schedule, scheduleEvery, groupRules, clipNorm, epochs, batchSize, seed, earlyStopping, data,
                NonFinite.STOP, 1);
    }

    /** What a batch whose loss is NaN or infinite does. */
    public enum NonFinite {
        /**
         * End the run at once with status {@code failed}, naming the epoch and batch; the checkpoint of the
         * last completed epoch stays as it was.
         */
        STOP,
        /**
         * Skip the batch (no gradient, no step) and go on, counting it; the optimizer also skips any step whose
         * gradient holds NaN or an infinity ({@code NonFinitePolicy.SKIP}).
         */
        SKIP;

        /**
         * {@code stop} or {@code skip}.
         *
         * @throws IllegalArgumentException for any other text
         */
        public static NonFinite parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "stop" -> STOP;
                case "skip" -> SKIP;
                default -> throw new IllegalArgumentException("non-finite policy '" + text + "' must be stop or skip");
            };
        }
    }

    /** When a schedule steps. */
    public enum ScheduleEvery {
        /** After every optimizer step (OneCycleLR, warm-up over steps). */
        BATCH,
        /** After every epoch, as most PyTorch examples step their schedulers. */
        EPOCH;

        /**
         * {@code batch} or {@code epoch}.
         *
         * @throws IllegalArgumentException for any other text
         */
        public static ScheduleEvery parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "batch", "step" -> BATCH;
                case "epoch" -> EPOCH;
                default -> throw new IllegalArgumentException("schedule step '" + text + "' must be batch or epoch");
            };
        }
    }

    /**
     * Stops training when the test loss has not improved on its best by more than {@code minDelta} for
     * {@code patience} epochs in a row (Keras's {@code EarlyStopping} on {@code val_loss}).
     *
     * @param patience    epochs without improvement before stopping, at least 1
     * @param minDelta    the smallest decrease of the test loss that counts as an improvement, at least 0
     * @param restoreBest whether the model ends with the weights of its best epoch rather than its last
     */
    public record EarlyStopping(int patience, double minDelta, boolean restoreBest) {
        /** Checks the values. */
        public EarlyStopping {
            if (patience < 1) {
                throw new IllegalArgumentException("early stopping patience=" + patience + " must be 1 or more");
            }
            if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
                throw new IllegalArgumentException("early stopping min_delta=" + minDelta + " must be finite and 0 or more");
            }
        }
    }

    /** Checks the values, naming the bad one. */
    public TrainConfig {
        require(model, "model");
        require(optimizer, "optimizer");
        if (scheduleEvery == null) {
            scheduleEvery = ScheduleEvery.EPOCH;
        }
        groupRules = List.copyOf(groupRules == null ? List.of() : groupRules);
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm " + clipNorm + " must be finite and 0 or more (0: no clipping)");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs " + epochs + " must be 1 or more");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be 1 or more");
        }
        data = data == null ? "" : data;
        if (nonFinite == null) {
            nonFinite = NonFinite.STOP;
        }
        if (accumulate < 1) {
            throw new IllegalArgumentException("accumulate " + accumulate + " must be 1 or more (batches per optimizer step)");
        }
    }

    private static void require(String spec, String what) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("the " + what + " spec is empty");
        }
    }

    /** A builder with the defaults of {@code descent train}. */
    public static Builder builder() {
        return new Builder();
    }

    /** This configuration with another number of epochs (to extend a resumed run). */
    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(model, optimizer, schedule, scheduleEvery, groupRules, clipNorm, newEpochs, batchSize,
                seed, earlyStopping, data, nonFinite, accumulate);
    }

    /** Builds a {@link TrainConfig}, starting from {@code descent train}'s defaults. */
    public static final class Builder {
        private String model = "mlp(hidden=[128], dropout=0.2)";
        private String optimizer = "adam(lr=0.001)";
        private String schedule;
        private ScheduleEvery scheduleEvery = ScheduleEvery.EPOCH;
        private List<String> groupRules = List.of();
        private double clipNorm;
        private int epochs = 5;
        private int batchSize = 32;
        private long seed;
        private EarlyStopping earlyStopping;
        private String data = "";
        private NonFinite nonFinite = NonFinite.STOP;
        private int accumulate = 1;

        private Builder() {
        }

        /** The model spec; default {@code mlp(hidden=[128], dropout=0.2)}. */
        public Builder model(String v) {
            model = v;
            return this;
        }

        /** The optimizer spec; default {@code adam(lr=0.001)}. */
        public Builder optimizer(String v) {
            optimizer = v;
            return this;
        }

        /** The schedule spec (null for none, the default) and when it steps. */
        public Builder schedule(String v, ScheduleEvery every) {
            schedule = v;
            scheduleEvery = every;
            return this;
        }

        /** Parameter-group rules; default none. */
        public Builder groupRules(List<String> v) {
            groupRules = v;
            return this;
        }

        /** The largest gradient norm; default 0, no clipping. */
        public Builder clipNorm(double v) {
            clipNorm = v;
            return this;
        }

        /** The number of epochs; default 5. */
        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        /** The batch size; default 32. */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** The seed; default 0. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Early stopping, or null (the default) for none. */
        public Builder earlyStopping(EarlyStopping v) {
            earlyStopping = v;
            return this;
        }

        /** The data set's name for the summary. */
        public Builder data(String v) {
            data = v;
            return this;
        }

        /** What a non-finite loss does; default {@link NonFinite#STOP}. */
        public Builder nonFinite(NonFinite v) {
            nonFinite = v;
            return this;
        }

        /** Batches per optimizer step; default 1. */
        public Builder accumulate(int v) {
            accumulate = v;
            return this;
        }

        /** The configuration. */
        public TrainConfig build() {
            return new TrainConfig(model, optimizer, schedule, scheduleEvery, groupRules, clipNorm, epochs, batchSize, seed,
                    earlyStopping, data, nonFinite, accumulate);
        }
    }
}
