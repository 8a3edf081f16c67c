package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.data.Shuffle;
import dev.descent.data.Split;
import dev.descent.nn.Losses;
import dev.descent.nn.Metrics;
import dev.descent.nn.Model;
import dev.descent.nn.Models;
import dev.descent.optim.GradClip;
import dev.descent.optim.GradientAccumulator;
import dev.descent.optim.GroupRules;
import dev.descent.optim.Lbfgs;
import dev.descent.optim.NonFinitePolicy;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerWrapper;
import dev.descent.optim.Optimizers;
import dev.descent.optim.ScheduleFree;
import dev.descent.optim.WeightAveraging;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;
import dev.descent.optim.schedule.HyperparameterSchedules;
import dev.descent.optim.schedule.Schedule;
import dev.descent.optim.schedule.Schedules;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The training loop: mini-batch epochs over a {@link Split}'s training set, each followed by an evaluation
 * on its test set, with a checkpoint after every epoch from which {@link #restore(Path)} resumes bit for bit.
 *
 * <pre>
 *   TrainConfig config = TrainConfig.builder().model("mlp(hidden=[128], dropout=0.2)")
 *           .optimizer("adam(lr=0.001)").epochs(5).batchSize(32).seed(0).data("fashion-mnist").build();
 *   TrainResult result = new Trainer(config, MnistFamily.FASHION_MNIST.load()).run(Path.of("runs/first"));
 * </pre>
 *
 * <p>Each step: gather the batch into reused buffers, reset the reused {@link Tape}, forward, loss
 * (cross-entropy for classifiers, MSE for {@code linreg}), zero the gradients, backward, clip the global
 * gradient norm when asked, step the optimizer (L-BFGS with a closure that evaluates the batch again), and step
 * the schedule when it steps per batch. With
 * {@link TrainConfig#accumulate() accumulate} k above 1 a {@link GradientAccumulator} averages the gradients of
 * k batches (weighted by their sizes) and clips and steps once, the last step of an epoch on what is left. A
 * loss that is NaN or infinite ends the run at once with status {@code failed} and a reason naming the epoch and
 * batch, or, under {@link TrainConfig.NonFinite#SKIP}, skips that batch (and the optimizer skips any step whose
 * gradient is not finite), counting both in the summary. An epoch that ends with weights or a test loss that
 * are not finite fails the same way, before its checkpoint: the checkpoint of the last good epoch stays as it
 * was. After the pass, the model is evaluated on the test set in evaluation mode (dropout off) at the optimizer's
 * answer, a per-epoch schedule steps (ReduceLROnPlateau watching the test loss), early stopping looks at the test
 * loss, and the run folder gets its checkpoint and history.
 *
 * <p>The optimizer's answer is the weights its method means to be used: the weights as trained, but for a
 * schedule-free optimizer ({@code sgd_schedulefree}, {@code adamw_schedulefree}) the averaged point x, which its
 * {@code eval()} moves the parameters to (and {@code train()} back to y), and for {@code ema(...)} and
 * {@code swa(...)} the average, once there is one, swapped in and out bit for bit. Test metrics, early stopping's
 * best weights and the final {@code model.safetensors} are taken there; the training loss and the checkpoint's
 * weights, from which training goes on, are the trained ones.
 *
 * <p>Everything random comes from the seed: the initial weights ({@link Models#build}), the order of epoch
 * e ({@link Shuffle#epochSeed}), and the dropout masks of epoch e (the modules reseeded from the seed and e at
 * the start of each epoch), so a run resumed after epoch k continues exactly as the uninterrupted run.
 *
 * <p>The run folder holds {@code history.csv} ({@code epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds}),
 * {@code summary.json}, {@code model.safetensors} (the final weights, at the optimizer's answer) and {@code checkpoint/}: the weights
 * ({@code model.safetensors}), the optimizer's state dict with its schedule ({@code optimizer.state}), the
 * loop's own state and configuration ({@code trainer.state}) and, with early stopping that restores, the best
 * weights ({@code best.safetensors}); the folder is written whole then renamed into place.
 */
public final class Trainer {
    /** Examples per evaluation batch: larger batches run the matrix products faster and need no gradient. */
    private static final int EVAL_BATCH = 1000;
    private static final long DROPOUT_SALT = 0x5DEECE66DL;
    private static final String CHECKPOINT = "checkpoint";
    /** The system property that sets the number of warm-up steps before the first timed epoch. */
    public static final String WARM_UP_PROPERTY = "descent.warmup.steps";
    private static final int WARM_UP_STEPS = 300;
    private static final int WARM_UP_EVAL_EVERY = 100;
    /** The models and batch sizes (as "model @batch") already warmed up in this JVM. */
    private static final Set<String> WARMED_UP = ConcurrentHashMap.newKeySet();

    private final TrainConfig config;
    private final Dataset train;
    private final Dataset test;
    private final boolean regression;
    private final Model model;
    private final Optimizer optimizer;
    private final HyperparameterSchedules schedules;
    private final boolean scheduleNeedsMetric;
    /** Whether the optimizer (or the one a wrapper wraps) is L-BFGS, which steps with a closure. */
    private final boolean closureSteps;
    /** Averages the gradients of {@code accumulate} batches per step, or null to step after every batch. */
    private final GradientAccumulator accumulator;
    private final List<TrainListener> listeners = new ArrayList<>();
    private final List<EpochResult> history = new ArrayList<>();
    private final Tape tape = new Tape();
    private final Tape evalTape = Tape.inference();
    /** The features of one evaluation batch, copied out of the test set (which may keep them as pixels). */
    private float[] evalFeatures;

    private int completed;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int epochsWithoutImprovement;
    private boolean stoppedEarly;
    private Map<String, Safetensors.Entry> bestWeights;
    /** Whether {@link #finish} loaded the best epoch's weights (already at the answer) into the model. */
    private boolean restoredBest;
    /** Batches skipped for a non-finite loss, over the whole run (resumed runs included). */
    private long skippedBatches;
    /** Optimizer steps skipped for a non-finite gradient before this trainer's optimizer was made (by a resume). */
    private long skippedStepsBefore;

    /**
     * Builds the model (initialized from the seed), its optimizer and schedule, and checks them against the
     * data with one forward pass on one example, so that every error of spec, shape or task comes before
     * any training.
     *
     * @throws IllegalArgumentException for an unknown or bad spec, a model that does not fit the data's
     *                                  shape, or a regression model on class labels (and the reverse)
     */
    public Trainer(TrainConfig config, Split data) {
        this.config = config;
        this.train = data.train();
        this.test = data.test();
        if (train.size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException("data " + config.data() + ": the training and test sets need examples, got "
                    + train.size() + " and " + test.size());
        }
        Spec modelSpec = SpecParser.parse(config.model());
        this.regression = Models.isRegression(modelSpec);
        if (regression && train.isClassification()) {
            throw new IllegalArgumentException("model " + config.model() + " is a regression model (MSE) but data "
                    + describe(config.data(), train) + " has class labels; use logreg(), mlp(...) or cnn(...)");
        }
        if (!regression && !train.isClassification()) {
            throw new IllegalArgumentException("model " + config.model() + " is a classifier but data "
                    + describe(config.data(), train) + " has regression targets; use linreg()");
        }
        int outputs = regression ? 1 : train.classCount();
        this.model = Models.build(config.model(), train.exampleShape(), outputs, config.seed());
        this.optimizer = Optimizers.parse(config.optimizer()).build(model.params(), GroupRules.parse(config.groupRules()));
        if (config.nonFinite() == TrainConfig.NonFinite.SKIP) {
            optimizer.setNonFinitePolicy(NonFinitePolicy.SKIP);
        }
        this.closureSteps = needsClosure(optimizer);
        if (closureSteps && config.accumulate() > 1) {
            throw new IllegalArgumentException("accumulate " + config.accumulate() + ": " + config.optimizer() + " re-evaluates "
                    + "the batch within each step (L-BFGS), so its gradients cannot be accumulated over batches");
        }
        this.accumulator = config.accumulate() == 1 ? null
                : new GradientAccumulator(optimizer, config.accumulate()).beforeStep(this::clip);
        if (config.schedule() != null) {
            Schedule schedule = Schedules.parse(config.schedule());
            this.schedules = HyperparameterSchedules.attach(optimizer).follow("lr", schedule);
            this.scheduleNeedsMetric = schedule.needsMetric();
        } else {
            this.schedules = null;
            this.scheduleNeedsMetric = false;
        }
        model.eval();
        model.forward(evalTape, Tensor.view(train.example(0), 0, batchShape(1)));
        evalTape.reset();
        model.train();
    }

    private static String describe(String name, Dataset d) {
        return name.isEmpty() ? d.name() : name;
    }

    /** Adds a listener; returns this trainer. */
    public Trainer listen(TrainListener listener) {
        listeners.add(listener);
        return this;
    }

    /** The model being trained. */
    public Model model() {
        return model;
    }

    /** The optimizer, with its schedule attached. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The configuration. */
    public TrainConfig config() {
        return config;
    }

    /** The epochs completed so far (from a restored checkpoint too). */
    public List<EpochResult> history() {
        return List.copyOf(history);
    }

    /**
     * Trains the remaining epochs (all of them, or those after a {@linkplain #restore restored} checkpoint)
     * and writes the run folder.
     *
     * @param out the run folder, created when missing
     * @return how the run ended; a non-finite loss gives status {@code failed} rather than an exception
     */
    public TrainResult run(Path out) {
        String failure = null;
        if (completed < config.epochs()) {
            warmUp();
        }
        for (int epoch = completed + 1; epoch <= config.epochs() && !stoppedEarly; epoch++) {
            Pass pass = trainPass(epoch);
            if (pass.failure != null) {
                failure = pass.failure;
                break;
            }
            double[] eval = evaluate();
            String broken = nonFiniteAfter(epoch, eval[0]);
            if (broken != null) {
                failure = broken;
                break;
            }
            if (schedules != null && config.scheduleEvery() == TrainConfig.ScheduleEvery.EPOCH) {
                if (scheduleNeedsMetric) {
                    schedules.step(eval[0]);
                } else {
                    schedules.step();
                }
            }
            EpochResult result = new EpochResult(epoch, pass.loss, pass.accuracy, eval[0], eval[1], pass.lr, pass.seconds);
            history.add(result);
            completed = epoch;
            watch(result);
            checkpoint(out);
            AtomicWrite.text(out.resolve("history.csv"), historyCsv(history));
            for (TrainListener l : listeners) {
                l.onEpochEnd(result);
            }
        }
        TrainResult result = finish(failure);
        if (result.ok()) {
            Map<String, Safetensors.Entry> weights = restoredBest ? Safetensors.of(model) : atAnswer(() -> Safetensors.of(model));
            Safetensors.write(out.resolve("model.safetensors"), weights, metadata());
        }
        AtomicWrite.text(out.resolve("history.csv"), historyCsv(history));
        AtomicWrite.text(out.resolve("summary.json"), summaryJson(result) + "\n");
        return result;
    }

    /** The outcome of one training pass. */
    private record Pass(double loss, double accuracy, double lr, double seconds, String failure) {
    }

    private Pass trainPass(int epoch) {
        int n = train.size();
        int b = Math.min(config.batchSize(), n);
        int batches = (n + b - 1) / b;
        float[] features = new float[b * train.featureCount()];
        int[] labels = regression ? null : new int[b];
        float[] targets = regression ? new float[b] : null;
        int[] fullShape = batchShape(b);
        int[] order = Shuffle.permutation(n, Shuffle.epochSeed(config.seed(), epoch - 1));
        model.reseedModules(Shuffle.epochSeed(config.seed() ^ DROPOUT_SALT, epoch - 1));
        model.train();
        double lossSum = 0;
        long correct = 0;
        long counted = 0;
        double lr = optimizer.lr();
        long start = System.nanoTime();
        for (int batch = 0; batch < batches; batch++) {
            int from = batch * b;
            int count = Math.min(b, n - from);
            train.copyFeatures(order, from, count, features, 0);
            tape.reset();
            Tensor x = Tensor.view(features, 0, count == fullShape[0] ? fullShape : batchShape(count));
            if (regression) {
                train.copyTargets(order, from, count, targets, 0);
            } else {
                train.copyLabels(order, from, count, labels, 0);
            }
            Tensor output = model.forward(tape, x);
            Tensor loss = lossOf(output, count, labels, targets);
            float value = loss.item();
            if (!Float.isFinite(value)) {
                if (config.nonFinite() == TrainConfig.NonFinite.STOP) {
                    return new Pass(0, 0, 0, 0, "loss is " + value + " at epoch " + epoch + ", batch " + (batch + 1)
                            + " of " + batches + "; " + kept());
                }
                skippedBatches++;
                continue;
            }
            if (!regression) {
                correct += Metrics.correct(output, labels, 0);
            }
            lossSum += (double) value * count;
            counted += count;
            optimizer.zeroGrad();
            tape.backward(loss);
            boolean stepped;
            if (accumulator == null) {
                clip();
                lr = optimizer.lr();
                if (closureSteps) {
                    stepWithClosure(x, count, labels, targets, value);
                } else {
                    optimizer.step();
                }
                stepped = true;
            } else {
                double next = optimizer.lr();
                stepped = accumulator.add(count);
                lr = stepped ? next : lr;
            }
            if (stepped) {
                stepSchedulePerBatch(value);
            }
            if (!listeners.isEmpty()) {
                TrainListener.BatchProgress progress = new TrainListener.BatchProgress(epoch, batch + 1, batches,
                        (long) from + count, lossSum / counted, regression ? Double.NaN : correct / (double) counted,
                        (System.nanoTime() - start) / 1e9);
                for (TrainListener l : listeners) {
                    l.onBatchEnd(progress);
                }
            }
        }
        if (accumulator != null) {
            double next = optimizer.lr();
            if (accumulator.flush()) {
                lr = next;
                stepSchedulePerBatch(lossSum / counted);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Pass(lossSum / counted, regression ? Double.NaN : correct / (double) counted, lr, seconds, null);
    }

    /** Whether {@code o}, or an optimizer it wraps, is L-BFGS. */
    private static boolean needsClosure(Optimizer o) {
        for (Optimizer at = o; ; at = ((OptimizerWrapper) at).inner()) {
            if (at instanceof Lbfgs) {
                return true;
            }
            if (!(at instanceof OptimizerWrapper)) {
                return false;
            }
        }
    }

    /** The batch's loss on the tape: cross-entropy with {@code labels}, or MSE with {@code targets} for regression. */
    private Tensor lossOf(Tensor output, int count, int[] labels, float[] targets) {
        return regression ? Losses.mse(tape, output, Tensor.view(targets, 0, count, 1)) : Losses.crossEntropy(tape, output, labels, 0);
    }

    /**
     * Steps an optimizer that evaluates the loss several times per step (L-BFGS) on the batch {@code x}: its
     * first evaluation is the loss and gradients just computed, later ones run the batch forward and backward
     * again (with clipping), as PyTorch's {@code optimizer.step(closure)} does.
     */
    private void stepWithClosure(Tensor x, int count, int[] labels, float[] targets, float firstLoss) {
        boolean[] first = {true};
        optimizer.step(() -> {
            if (first[0]) {
                first[0] = false;
                return firstLoss;
            }
            tape.reset();
            Tensor loss = lossOf(model.forward(tape, x), count, labels, targets);
            optimizer.zeroGrad();
            tape.backward(loss);
            clip();
            return loss.item();
        });
    }

    /** Clips the gradients' global norm when the configuration asks for it. */
    private void clip() {
        if (config.clipNorm() > 0) {
            GradClip.clipGradNorm(model.params(), config.clipNorm());
        }
    }

    /** Steps a per-batch schedule after an optimizer step; ReduceLROnPlateau watches the batch loss. */
    private void stepSchedulePerBatch(double loss) {
        if (schedules != null && config.scheduleEvery() == TrainConfig.ScheduleEvery.BATCH) {
            if (scheduleNeedsMetric) {
                schedules.step(loss);
            } else {
                schedules.step();
            }
        }
    }

    /** What a failure leaves: the checkpoint of the last completed epoch, or none. */
    private String kept() {
        return completed == 0 ? "no epoch completed, so there is no checkpoint"
                : "the checkpoint of epoch " + completed + " is kept";
    }

    /** Why the model after {@code epoch} must not be checkpointed (weights or test loss not finite), or null. */
    private String nonFiniteAfter(int epoch, double testLoss) {
        float[] weights = model.store().data();
        if (!NonFinitePolicy.allFinite(weights, 0, weights.length)) {
            return "the weights hold NaN or an infinity after epoch " + epoch + "; " + kept();
        }
        if (!Double.isFinite(testLoss)) {
            return "test loss is " + testLoss + " after epoch " + epoch + "; " + kept();
        }
        return null;
    }

    /**
     * Trains a throwaway copy of the model with its own optimizer for a few steps on the first batches, so that
     * the JIT compiles the kernels (the Vector API ones run about a thousand times slower until C2 has compiled
     * them) before the first timed epoch; every hundredth step adds one evaluation-sized forward pass. The real model, optimizer and random streams are not touched, so the
     * run's results are the same with or without it. The number of steps is the system property
     * {@value #WARM_UP_PROPERTY} (default {@value #WARM_UP_STEPS}; 0 turns it off), at most one epoch's worth;
     * it runs once per model and batch size in a JVM, so that the later runs of a comparison or a study skip it,
     * and not at all for L-BFGS, whose steps evaluate the batch many times.
     */
    private void warmUp() {
        if (closureSteps || !WARMED_UP.add(config.model() + " @" + config.batchSize())) {
            return;
        }
        int steps = (int) Math.min(Integer.getInteger(WARM_UP_PROPERTY, WARM_UP_STEPS),
                ((long) train.size() + config.batchSize() - 1) / config.batchSize());
        if (steps <= 0) {
            return;
        }
        int d = train.featureCount();
        int n = train.size();
        int b = Math.min(config.batchSize(), n);
        Model scratch = Models.build(config.model(), train.exampleShape(), regression ? 1 : train.classCount(), config.seed());
        Optimizer scratchOptimizer = Optimizers.parse(config.optimizer())
                .build(scratch.params(), GroupRules.parse(config.groupRules()));
        scratch.train();
        Tape scratchTape = new Tape();
        float[] features = new float[b * d];
        int[] labels = new int[b];
        float[] targets = new float[b];
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        int[] shape = batchShape(b);
        for (int step = 0; step < steps; step++) {
            int from = (int) ((long) step * b % (n - b + 1));
            train.copyFeatures(order, from, b, features, 0);
            scratchTape.reset();
            Tensor output = scratch.forward(scratchTape, Tensor.view(features, 0, shape));
            Tensor loss;
            if (regression) {
                train.copyTargets(order, from, b, targets, 0);
                loss = Losses.mse(scratchTape, output, Tensor.view(targets, 0, b, 1));
            } else {
                train.copyLabels(order, from, b, labels, 0);
                loss = Losses.crossEntropy(scratchTape, output, labels, 0);
                Metrics.correct(output, labels, 0);
            }
            if (!Float.isFinite(loss.item())) {
                break;
            }
            scratchOptimizer.zeroGrad();
            scratchTape.backward(loss);
            if (config.clipNorm() > 0) {
                GradClip.clipGradNorm(scratch.params(), config.clipNorm());
            }
            scratchOptimizer.step();
            if (step % WARM_UP_EVAL_EVERY == WARM_UP_EVAL_EVERY - 1) {
                // the evaluation's larger products take other branches (and both threads); profiling them
                // now keeps the first evaluation from sending the compiled training code back to the interpreter
                scratch.eval();
                int count = Math.min(EVAL_BATCH, test.size());
                scratch.forward(evalTape, evalBatch(0, count));
                evalTape.reset();
                scratch.train();
            }
        }
        scratchTape.reset();
    }

    /**
     * Runs {@code action} with the model's weights at the optimizer's answer (see the class comment) and moves them
     * back to the trained weights afterwards.
     */
    private <T> T atAnswer(Supplier<T> action) {
        if (optimizer instanceof ScheduleFree scheduleFree) {
            scheduleFree.eval();
            try {
                return action.get();
            } finally {
                scheduleFree.train();
            }
        }
        if (optimizer instanceof WeightAveraging averaging && model.params().stream().anyMatch(averaging::hasAverage)) {
            List<T> result = new ArrayList<>(1);
            averaging.withAveraged(() -> result.add(action.get()));
            return result.get(0);
        }
        return action.get();
    }

    /**
     * The test loss and accuracy (NaN for regression) in evaluation mode at the optimizer's answer; the model returns
     * to training mode and to its trained weights.
     */
    private double[] evaluate() {
        return atAnswer(this::evaluateHere);
    }

    private double[] evaluateHere() {
        model.eval();
        int n = test.size();
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int count = Math.min(EVAL_BATCH, n - from);
            evalTape.reset();
            Tensor output = model.forward(evalTape, evalBatch(from, count));
            Tensor loss;
            if (regression) {
                loss = Losses.mse(evalTape, output, Tensor.view(test.targets(), from, count, 1));
            } else {
                loss = Losses.crossEntropy(evalTape, output, test.labels(), from);
                correct += Metrics.correct(output, test.labels(), from);
            }
            lossSum += (double) loss.item() * count;
        }
        evalTape.reset();
        model.train();
        return new double[] {lossSum / n, regression ? Double.NaN : correct / (double) n};
    }

    /** Test examples {@code from .. from + count} as a tensor, copied into a buffer reused from one evaluation to the next. */
    private Tensor evalBatch(int from, int count) {
        if (evalFeatures == null) {
            evalFeatures = new float[Math.min(EVAL_BATCH, test.size()) * test.featureCount()];
        }
        test.copyFeatures(from, count, evalFeatures, 0);
        return Tensor.view(evalFeatures, 0, batchShape(count));
    }

    /** Early stopping's bookkeeping after an epoch. */
    private void watch(EpochResult result) {
        TrainConfig.EarlyStopping rule = config.earlyStopping();
        double minDelta = rule == null ? 0 : rule.minDelta();
        if (result.testLoss() < bestLoss - minDelta) {
            bestLoss = result.testLoss();
            bestEpoch = result.epoch();
            epochsWithoutImprovement = 0;
            if (rule != null && rule.restoreBest()) {
                bestWeights = atAnswer(() -> Safetensors.of(model));
            }
        } else {
            epochsWithoutImprovement++;
            if (rule != null && epochsWithoutImprovement >= rule.patience() && result.epoch() < config.epochs()) {
                stoppedEarly = true;
            }
        }
    }

    private TrainResult finish(String failure) {
        EpochResult last = history.isEmpty() ? null : history.get(history.size() - 1);
        EpochResult chosen = last;
        TrainConfig.EarlyStopping rule = config.earlyStopping();
        if (failure == null && rule != null && rule.restoreBest() && bestWeights != null && bestEpoch != completed) {
            Safetensors.load(model, bestWeights, "the best epoch's weights");
            restoredBest = true;
            chosen = history.get(bestEpoch - 1);
        }
        double[] seconds = history.stream().mapToDouble(EpochResult::seconds).sorted().toArray();
        double median = seconds.length == 0 ? Double.NaN : seconds.length % 2 == 1 ? seconds[seconds.length / 2]
                : (seconds[seconds.length / 2 - 1] + seconds[seconds.length / 2]) / 2;
        return new TrainResult(failure == null ? "ok" : "failed", failure, List.copyOf(history),
                chosen == null ? Double.NaN : chosen.testLoss(), chosen == null ? Double.NaN : chosen.testAcc(),
                bestEpoch, stoppedEarly, median, train.size() / median);
    }

    private int[] batchShape(int count) {
        int[] example = train.exampleShape();
        int[] shape = new int[example.length + 1];
        shape[0] = count;
        System.arraycopy(example, 0, shape, 1, example.length);
        return shape;
    }

    private Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("model", config.model());
        m.put("data", config.data());
        return m;
    }

    // ----- checkpoints -----

    private void checkpoint(Path out) {
        Path target = out.resolve(CHECKPOINT);
        Path fresh = out.resolve(CHECKPOINT + ".new");
        try {
            AtomicWrite.deleteTree(fresh);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not clear " + fresh + ": " + e, e);
        }
        Safetensors.write(fresh.resolve("model.safetensors"), Safetensors.of(model), metadata());
        if (bestWeights != null) {
            Safetensors.write(fresh.resolve("best.safetensors"), bestWeights, metadata());
        }
        StateFile.write(fresh.resolve("optimizer.state"), StateFile.fromStateDict(optimizer.stateDict()));
        StateFile.write(fresh.resolve("trainer.state"), trainerState());
        AtomicWrite.replaceFolder(fresh, target);
    }

    private Map<String, Object> trainerState() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("config", configState(config));
        s.put("completed", completed);
        s.put("best_loss", bestLoss);
        s.put("best_epoch", bestEpoch);
        s.put("epochs_without_improvement", epochsWithoutImprovement);
        s.put("stopped_early", stoppedEarly);
        s.put("skipped_batches", skippedBatches);
        s.put("skipped_steps", skippedSteps());
        List<Object> rows = new ArrayList<>();
        for (EpochResult r : history) {
            rows.add(new double[] {r.epoch(), r.trainLoss(), r.trainAcc(), r.testLoss(), r.testAcc(), r.lr(), r.seconds()});
        }
        s.put("history", rows);
        return s;
    }

    private static Map<String, Object> configState(TrainConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", c.model());
        m.put("optimizer", c.optimizer());
        m.put("schedule", c.schedule());
        m.put("schedule_every", c.scheduleEvery().name());
        m.put("group_rules", new ArrayList<Object>(c.groupRules()));
        m.put("clip_norm", c.clipNorm());
        m.put("epochs", c.epochs());
        m.put("batch_size", c.batchSize());
        m.put("seed", c.seed());
        m.put("data", c.data());
        m.put("non_finite", c.nonFinite().name());
        m.put("accumulate", c.accumulate());
        if (c.earlyStopping() != null) {
            m.put("patience", c.earlyStopping().patience());
            m.put("min_delta", c.earlyStopping().minDelta());
            m.put("restore_best", c.earlyStopping().restoreBest());
        }
        return m;
    }

    /**
     * The configuration of the run whose folder is {@code runDir}, as its last checkpoint recorded it, so that
     * a resumed run loads the same data and builds the same model and optimizer.
     *
     * @throws IllegalArgumentException when the folder holds no checkpoint
     */
    @SuppressWarnings("unchecked")
    public static TrainConfig savedConfig(Path runDir) {
        Map<String, Object> m = (Map<String, Object>) readState(runDir).get("config");
        List<String> rules = new ArrayList<>();
        ((List<Object>) m.get("group_rules")).forEach(r -> rules.add((String) r));
        TrainConfig.EarlyStopping early = m.containsKey("patience")
                ? new TrainConfig.EarlyStopping((Integer) m.get("patience"), (Double) m.get("min_delta"),
                        (Boolean) m.get("restore_best")) : null;
        return new TrainConfig((String) m.get("model"), (String) m.get("optimizer"), (String) m.get("schedule"),
                TrainConfig.ScheduleEvery.valueOf((String) m.get("schedule_every")), rules, (Double) m.get("clip_norm"),
                (Integer) m.get("epochs"), (Integer) m.get("batch_size"), (Long) m.get("seed"), early, (String) m.get("data"),
                TrainConfig.NonFinite.valueOf((String) m.getOrDefault("non_finite", "STOP")),
                (Integer) m.getOrDefault("accumulate", 1));
    }

    private static Map<String, Object> readState(Path runDir) {
        Path dir = checkpointDir(runDir);
        Path state = dir.resolve("trainer.state");
        if (!Files.isRegularFile(state)) {
            throw new IllegalArgumentException("--resume " + runDir + ": no checkpoint there (" + state
                    + " is missing); give the folder of a run, which holds checkpoint/");
        }
        return StateFile.read(state);
    }

    private static Path checkpointDir(Path runDir) {
        return AtomicWrite.existing(runDir.resolve(CHECKPOINT));
    }

    /**
     * Loads the last checkpoint of the run in {@code runDir} (weights, optimizer state with its schedule,
     * history, early-stopping state), so that {@link #run(Path)} continues with the next epoch. This trainer
     * must have been built from {@link #savedConfig(Path) the run's configuration} (the number of epochs may
     * differ) and the same data.
     *
     * @return this trainer
     * @throws IllegalArgumentException when the checkpoint does not fit this model or optimizer, or has completed
     *                                  more epochs than this configuration asks for
     */
    @SuppressWarnings("unchecked")
    public Trainer restore(Path runDir) {
        Map<String, Object> s = readState(runDir);
        int done = (Integer) s.get("completed");
        if (config.epochs() < done) {
            throw new IllegalArgumentException("--resume " + runDir + ": the run has completed " + done + " epochs already, "
                    + "so --epochs " + config.epochs() + " is too few; give " + done + " or more");
        }
        Path dir = checkpointDir(runDir);
        Safetensors.load(model, Safetensors.read(dir.resolve("model.safetensors")), dir.resolve("model.safetensors").toString());
        optimizer.loadStateDict(StateFile.toStateDict(StateFile.read(dir.resolve("optimizer.state"))));
        completed = (Integer) s.get("completed");
        bestLoss = (Double) s.get("best_loss");
        bestEpoch = (Integer) s.get("best_epoch");
        epochsWithoutImprovement = (Integer) s.get("epochs_without_improvement");
        stoppedEarly = (Boolean) s.get("stopped_early");
        skippedBatches = ((Number) s.getOrDefault("skipped_batches", 0L)).longValue();
        skippedStepsBefore = ((Number) s.getOrDefault("skipped_steps", 0L)).longValue() - optimizer.skippedSteps();
        history.clear();
        for (Object row : (List<Object>) s.get("history")) {
            double[] r = (double[]) row;
            history.add(new EpochResult((int) r[0], r[1], r[2], r[3], r[4], r[5], r[6]));
        }
        Path best = dir.resolve("best.safetensors");
        bestWeights = Files.isRegularFile(best) ? Safetensors.read(best) : null;
        return this;
    }

    // ----- output files -----

    /** {@code history.csv}: the header, then one row per epoch; NaN (accuracy of regression) is empty. */
    static String historyCsv(List<EpochResult> rows) {
        StringBuilder b = new StringBuilder("epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds\n");
        for (EpochResult r : rows) {
            b.append(r.epoch()).append(',').append(number(r.trainLoss())).append(',').append(number(r.trainAcc()))
                    .append(',').append(number(r.testLoss())).append(',').append(number(r.testAcc()))
                    .append(',').append(number(r.lr())).append(',').append(number(r.seconds())).append('\n');
        }
        return b.toString();
    }

    /** A number in the shortest form that reads back exactly ({@link Double#toString}), empty for NaN. */
    static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private String summaryJson(TrainResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", config.optimizer());
        m.put("optimizer_resolved", optimizer.toString());
        m.put("model", config.model());
        m.put("parameters", model.parameterCount());
        m.put("data", config.data());
        m.put("train_examples", train.size());
        m.put("test_examples", test.size());
        m.put("task", regression ? "regression" : "classification");
        m.put("schedule", config.schedule());
        if (config.schedule() != null) {
            m.put("schedule_every", config.scheduleEvery().name().toLowerCase(Locale.ROOT));
        }
        m.put("group_rules", new ArrayList<Object>(config.groupRules()));
        m.put("clip_norm", config.clipNorm() > 0 ? config.clipNorm() : null);
        m.put("accumulate", config.accumulate());
        m.put("non_finite", config.nonFinite().name().toLowerCase(Locale.ROOT));
        m.put("skipped_batches", skippedBatches);
        m.put("skipped_steps", skippedSteps());
        m.put("seed", config.seed());
        m.put("epochs", config.epochs());
        m.put("epochs_completed", r.history().size());
        m.put("batch_size", config.batchSize());
        m.put("final_test_accuracy", Double.isNaN(r.finalTestAccuracy()) ? null : r.finalTestAccuracy());
        m.put("final_test_loss", Double.isNaN(r.finalTestLoss()) ? null : r.finalTestLoss());
        m.put("best_epoch", r.bestEpoch());
        m.put("stopped_early", r.stoppedEarly());
        m.put("median_epoch_seconds", Double.isNaN(r.medianEpochSeconds()) ? null : r.medianEpochSeconds());
        m.put("samples_per_second", Double.isNaN(r.samplesPerSecond()) ? null : r.samplesPerSecond());
        m.put("status", r.status());
        if (r.reason() != null) {
            m.put("reason", r.reason());
        }
        return Json.write(m, true);
    }

    /** Optimizer steps skipped for a non-finite gradient over the whole run (under {@link TrainConfig.NonFinite#SKIP}). */
    public long skippedSteps() {
        return skippedStepsBefore + optimizer.skippedSteps();
    }

    /** Batches skipped for a non-finite loss over the whole run (under {@link TrainConfig.NonFinite#SKIP}). */
    public long skippedBatches() {
        return skippedBatches;
    }

    @Override
    public String toString() {
        return "Trainer(" + config + ", " + Arrays.toString(train.exampleShape()) + ")";
    }
}
