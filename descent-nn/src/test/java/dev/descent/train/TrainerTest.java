package dev.descent.train;

import dev.descent.data.DataSpecs;
import dev.descent.data.Dataset;
import dev.descent.data.Split;
import dev.descent.nn.Losses;
import dev.descent.nn.Model;
import dev.descent.optim.Param;
import dev.descent.optim.ScheduleFree;
import dev.descent.optim.WeightAveraging;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training loop on small synthetic sets: learning, outputs, the optimizer's answer, early stopping, the non-finite stop and resume. */
class TrainerTest {
    private static final Split BLOBS = DataSpecs.load("blobs(n=300, classes=3, dims=2, std=1.0)");
    private static final Split SPIRALS = DataSpecs.load("spirals(n=200, noise=0.05)");
    private static final Split LINEAR = DataSpecs.load("linear(n=200, dims=4, noise=0.1)");

    @TempDir
    Path dir;

    private static TrainConfig.Builder blobs() {
        return TrainConfig.builder().model("mlp(hidden=[16], dropout=0.1)").optimizer("adam(lr=0.01)")
                .epochs(4).batchSize(16).seed(7).data("blobs");
    }

    @Test
    void learnsBlobsAndWritesHistoryAndSummary() throws IOException {
        TrainResult result = new Trainer(blobs().build(), BLOBS).run(dir);
        assertTrue(result.ok());
        assertEquals(4, result.history().size());
        EpochResult last = result.history().get(3);
        assertTrue(last.testAcc() > 0.85, "test accuracy " + last.testAcc());
        assertTrue(last.trainLoss() < result.history().get(0).trainLoss(), "the training loss falls");
        assertEquals(last.testAcc(), result.finalTestAccuracy());

        List<String> csv = Files.readAllLines(dir.resolve("history.csv"));
        assertEquals("epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds", csv.get(0));
        assertEquals(5, csv.size());
        String[] row = csv.get(4).split(",", -1);
        assertEquals("4", row[0]);
        assertEquals(last.trainLoss(), Double.parseDouble(row[1]), 0.0, "numbers read back exactly");
        assertEquals(last.testAcc(), Double.parseDouble(row[4]), 0.0);
        assertEquals(0.01, Double.parseDouble(row[5]), 0.0);
        assertTrue(Double.parseDouble(row[6]) > 0);

        Map<?, ?> summary = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("summary.json")), "summary.json");
        for (String key : List.of("optimizer", "model", "data", "seed", "epochs", "batch_size", "final_test_accuracy",
                "final_test_loss", "median_epoch_seconds", "samples_per_second", "status")) {
            assertTrue(summary.containsKey(key), "summary.json has " + key);
        }
        assertEquals("ok", summary.get("status"));
        assertEquals("adam(lr=0.01)", summary.get("optimizer"));
        assertEquals(7L, summary.get("seed"));
        assertEquals(16L, summary.get("batch_size"));
        assertEquals(last.testLoss(), (Double) summary.get("final_test_loss"), 0.0);
        assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("checkpoint/optimizer.state")));
    }

    @Test
    void theSeedDecidesEverything() {
        Trainer a = new Trainer(blobs().epochs(2).build(), BLOBS);
        a.run(dir.resolve("a"));
        Trainer b = new Trainer(blobs().epochs(2).build(), BLOBS);
        b.run(dir.resolve("b"));
        Trainer c = new Trainer(blobs().epochs(2).seed(8).build(), BLOBS);
        c.run(dir.resolve("c"));
        assertArrayEquals(a.model().store().data(), b.model().store().data());
        assertFalse(Arrays.equals(a.model().store().data(), c.model().store().data()));
    }

    @Test
    void theWarmUpLeavesTheRunUnchanged() {
        // batch 13 is used by no other test, so the first run here warms up and the second (same model and
        // batch size, same JVM) does not: any trace the warm-up left on the model, the optimizer or the random
        // streams would make them differ
        Trainer warmed = new Trainer(blobs().epochs(2).batchSize(13).build(), BLOBS);
        TrainResult first = warmed.run(dir.resolve("warmed"));
        Trainer cold = new Trainer(blobs().epochs(2).batchSize(13).build(), BLOBS);
        TrainResult second = cold.run(dir.resolve("cold"));
        assertArrayEquals(warmed.model().store().data(), cold.model().store().data());
        assertEquals(first.history().get(1).trainLoss(), second.history().get(1).trainLoss(), 0.0);
        assertEquals(first.finalTestLoss(), second.finalTestLoss(), 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adamw(lr=0.01, weight_decay=0.01)", "adamw_schedulefree(lr=0.01, weight_decay=0.01)",
        "ema(adamw(lr=0.01, weight_decay=0.01), decay=0.9)",
        "chain(scale_by_schedule(steplr(step_size=3, gamma=0.5)), scale_by_adam(), add_decayed_weights(0.01), scale_by_learning_rate(0.01))"})
    void aResumedRunEndsBitIdenticalToAnUninterruptedOne(String optimizer) throws IOException {
        TrainConfig config = TrainConfig.builder().model("mlp(hidden=[24, 24], dropout=0.2)")
                .optimizer(optimizer).schedule("steplr(step_size=1, gamma=0.7)",
                        TrainConfig.ScheduleEvery.EPOCH).groupRules(List.of("bias: weight_decay=0")).clipNorm(1.0)
                .epochs(4).batchSize(20).seed(3).data("spirals").build();
        Path whole = dir.resolve("whole");
        Trainer uninterrupted = new Trainer(config, SPIRALS);
        uninterrupted.run(whole);

        Path broken = dir.resolve("broken");
        Trainer first = new Trainer(config, SPIRALS).listen(new TrainListener() {
            @Override
            public void onEpochEnd(EpochResult result) {
                if (result.epoch() == 2) {
                    throw new IllegalStateException("interrupted");
                }
            }
        });
        assertThrows(IllegalStateException.class, () -> first.run(broken));
        assertEquals(2, Files.readAllLines(broken.resolve("history.csv")).size() - 1);

        TrainConfig saved = Trainer.savedConfig(broken);
        assertEquals(config, saved);
        Trainer resumed = new Trainer(saved, SPIRALS).restore(broken);
        assertEquals(2, resumed.history().size());
        resumed.run(broken);

        assertArrayEquals(uninterrupted.model().store().data(), resumed.model().store().data());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")),
                Files.readAllBytes(broken.resolve("model.safetensors")));
        List<EpochResult> a = uninterrupted.history();
        List<EpochResult> b = resumed.history();
        assertEquals(4, b.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(withoutTime(a.get(i)), withoutTime(b.get(i)), "epoch " + (i + 1));
        }
        assertNotEquals(a.get(0).lr(), a.get(3).lr(), "the schedule moved the learning rate");
    }

    private static EpochResult withoutTime(EpochResult r) {
        return new EpochResult(r.epoch(), r.trainLoss(), r.trainAcc(), r.testLoss(), r.testAcc(), r.lr(), 0);
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        // min_delta so large that no epoch after the first counts as an improvement
        TrainConfig config = blobs().epochs(10).earlyStopping(new TrainConfig.EarlyStopping(2, 1e9, true)).build();
        Trainer trainer = new Trainer(config, BLOBS);
        TrainResult result = trainer.run(dir.resolve("early"));
        assertTrue(result.ok());
        assertTrue(result.stoppedEarly());
        assertEquals(3, result.history().size(), "epoch 1 is best, epochs 2 and 3 use up the patience of 2");
        assertEquals(1, result.bestEpoch());
        assertEquals(result.history().get(0).testLoss(), result.finalTestLoss());

        Trainer oneEpoch = new Trainer(blobs().epochs(1).build(), BLOBS);
        oneEpoch.run(dir.resolve("one"));
        assertArrayEquals(oneEpoch.model().store().data(), trainer.model().store().data(),
                "the restored weights are those after epoch 1");
    }

    /** The mean cross-entropy of {@code model} over the test set of {@code data}, in evaluation mode, in one batch. */
    private static double testLoss(Model model, Split data) {
        Dataset test = data.test();
        int[] example = test.exampleShape();
        int[] shape = new int[example.length + 1];
        shape[0] = test.size();
        System.arraycopy(example, 0, shape, 1, example.length);
        Tape tape = Tape.inference();
        model.eval();
        Tensor output = model.forward(tape, Tensor.view(test.features(), 0, shape));
        double loss = Losses.crossEntropy(tape, output, test.labels(), 0).item();
        model.train();
        return loss;
    }

    private static boolean sameWeights(Map<String, Safetensors.Entry> a, Map<String, Safetensors.Entry> b) {
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k).data(), b.get(k).data()));
    }

    /**
     * A schedule-free optimizer, EMA and SWA are evaluated and saved at their answer (the averaged point x, the
     * average), while training goes on from the trained weights, which the checkpoint holds.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "adamw_schedulefree(lr=0.01)", "sgd_schedulefree(lr=0.05)", "ema(adam(lr=0.01), decay=0.9)",
        "swa(adam(lr=0.01), swa_start=20, swa_lr=0.005)"})
    void theTestMetricsAndTheSavedModelAreAtTheOptimizersAnswer(String optimizer) throws IOException {
        Trainer trainer = new Trainer(blobs().optimizer(optimizer).epochs(3).build(), BLOBS);
        TrainResult result = trainer.run(dir);
        assertTrue(result.ok(), result.reason());
        Map<String, Safetensors.Entry> saved = Safetensors.read(dir.resolve("model.safetensors"));
        Map<String, Safetensors.Entry> trained = Safetensors.read(dir.resolve("checkpoint/model.safetensors"));
        assertTrue(sameWeights(trained, Safetensors.of(trainer.model())), "the model and the checkpoint hold the trained weights");
        assertFalse(sameWeights(trained, saved), "the saved model is not the trained weights");

        // the answer, by each method's own definition
        if (trainer.optimizer() instanceof ScheduleFree sf) {
            sf.eval();
            assertTrue(sameWeights(saved, Safetensors.of(trainer.model())), "the saved model is x");
            sf.train();
        } else {
            WeightAveraging avg = (WeightAveraging) trainer.optimizer();
            for (Param p : trainer.model().params()) {
                assertArrayEquals(avg.averaged(p), saved.get(p.name()).data(), p.name() + " is the average");
            }
        }
        double atTrained = testLoss(trainer.model(), BLOBS);
        Safetensors.load(trainer.model(), saved, "the saved model");
        double atAnswer = testLoss(trainer.model(), BLOBS);
        assertEquals(atAnswer, result.finalTestLoss(), 1e-6 * atAnswer, "the test loss is the answer's");
        assertNotEquals(atTrained, result.finalTestLoss(), "and not the trained weights'");
    }

    @Test
    void beforeSwaStartsAveragingTheTrainedWeightsAreTheAnswer() {
        Trainer trainer = new Trainer(blobs().optimizer("swa(adam(lr=0.01), swa_start=100000, swa_lr=0.005)").epochs(2).build(), BLOBS);
        TrainResult result = trainer.run(dir);
        Trainer plain = new Trainer(blobs().optimizer("adam(lr=0.01)").epochs(2).build(), BLOBS);
        TrainResult plainResult = plain.run(dir.resolve("plain"));
        assertEquals(plainResult.finalTestLoss(), result.finalTestLoss(), 0.0);
        assertArrayEquals(plain.model().store().data(), trainer.model().store().data());
    }

    /** L-BFGS steps through a closure that computes the batch's loss and gradients again, as PyTorch's loop does. */
    @ParameterizedTest
    @ValueSource(strings = {"lbfgs(lr=0.5, max_iter=4, history_size=5)", "lbfgs(max_iter=4, line_search_fn=\"strong_wolfe\")",
        "lookahead(lbfgs(max_iter=3, line_search_fn=\"strong_wolfe\"), k=2)"})
    void lbfgsTrainsThroughAClosure(String optimizer) {
        TrainConfig config = TrainConfig.builder().model("mlp(hidden=[8])").optimizer(optimizer).clipNorm(5.0)
                .epochs(2).batchSize(60).seed(7).data("blobs").build();
        Trainer trainer = new Trainer(config, BLOBS);
        TrainResult result = trainer.run(dir);
        assertTrue(result.ok(), result.reason());
        assertTrue(result.finalTestAccuracy() > 0.85, optimizer + ": test accuracy " + result.finalTestAccuracy());
        assertTrue(result.history().get(1).trainLoss() < result.history().get(0).trainLoss(), optimizer + ": the training loss falls");

        // its state (history, none-valued settings) goes through the checkpoint: resuming for a third epoch is one 3-epoch run
        Trainer resumed = new Trainer(config.withEpochs(3), BLOBS).restore(dir);
        resumed.run(dir);
        Trainer whole = new Trainer(config.withEpochs(3), BLOBS);
        whole.run(dir.resolve("whole"));
        assertArrayEquals(whole.model().store().data(), resumed.model().store().data(), optimizer + ": resumed");
    }

    @Test
    void aNonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        // epoch 1 at lr 1e-3, then the schedule multiplies lr by 1e30: the weights overflow in epoch 2
        TrainConfig config = TrainConfig.builder().model("linreg()").optimizer("sgd(lr=0.001)")
                .schedule("exponentiallr(gamma=1e30)", TrainConfig.ScheduleEvery.EPOCH)
                .epochs(5).batchSize(10).seed(1).data("linear").build();
        Path run = dir.resolve("nan");
        TrainResult result = new Trainer(config, LINEAR).run(run);
        assertEquals("failed", result.status());
        assertTrue(result.reason().matches("loss is (NaN|Infinity) at epoch 2, batch \\d+ of 16; .*"), result.reason());
        assertEquals(1, result.history().size());

        Map<?, ?> summary = (Map<?, ?>) Json.parse(Files.readString(run.resolve("summary.json")), "summary.json");
        assertEquals("failed", summary.get("status"));
        assertEquals(result.reason(), summary.get("reason"));
        assertFalse(Files.exists(run.resolve("model.safetensors")), "no final weights from a failed run");

        Trainer good = new Trainer(config.withEpochs(1), LINEAR);
        good.run(dir.resolve("good"));
        Trainer restored = new Trainer(Trainer.savedConfig(run), LINEAR).restore(run);
        assertArrayEquals(good.model().store().data(), restored.model().store().data(),
                "the checkpoint holds the weights after epoch 1");
    }

    /**
     * One full batch per epoch: epoch 1 steps at lr 1e-3, then the schedule raises lr to 1e35 and epoch 2's one
     * step leaves weights whose test loss overflows; the run fails before epoch 2's checkpoint, which would
     * otherwise hold those weights, and says which checkpoint it kept.
     */
    @Test
    void aNonFiniteTestLossFailsTheEpochBeforeItsCheckpoint() throws IOException {
        TrainConfig config = TrainConfig.builder().model("linreg()").optimizer("sgd(lr=0.001)")
                .schedule("exponentiallr(gamma=1e38)", TrainConfig.ScheduleEvery.EPOCH)
                .epochs(4).batchSize(1000).seed(1).data("linear").build();
        Path run = dir.resolve("overflow");
        TrainResult result = new Trainer(config, LINEAR).run(run);
        assertEquals("failed", result.status());
        assertEquals("test loss is Infinity after epoch 2; the checkpoint of epoch 1 is kept", result.reason());
        assertEquals(1, result.history().size());
        Trainer good = new Trainer(config.withEpochs(1), LINEAR);
        good.run(dir.resolve("good"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("good/checkpoint/model.safetensors")),
                Files.readAllBytes(run.resolve("checkpoint/model.safetensors")), "the checkpoint of epoch 1, intact");
    }

    @Test
    void aNonFiniteLossInTheFirstEpochSaysThereIsNoCheckpoint() {
        TrainResult result = new Trainer(blobs().build(), withNanExample(BLOBS, 5)).run(dir);
        assertEquals("failed", result.status());
        assertTrue(result.reason().matches("loss is NaN at epoch 1, batch \\d+ of 15; no epoch completed, so there is no "
                + "checkpoint"), result.reason());
        assertFalse(Files.exists(dir.resolve("checkpoint")));
    }

    /** Under the skip policy the batch holding a NaN feature is skipped every epoch, and training goes on. */
    @Test
    void theSkipPolicySkipsNonFiniteBatchesAndTrainsOn() throws IOException {
        Split poisoned = withNanExample(BLOBS, 5);
        TrainConfig config = blobs().nonFinite(TrainConfig.NonFinite.SKIP).build();
        Trainer trainer = new Trainer(config, poisoned);
        assertEquals(dev.descent.optim.NonFinitePolicy.SKIP, trainer.optimizer().nonFinitePolicy(),
                "the optimizer skips non-finite gradients too");
        TrainResult result = trainer.run(dir);
        assertTrue(result.ok(), result.reason());
        assertEquals(4, trainer.skippedBatches(), "one batch in each of 4 epochs");
        assertEquals(0, trainer.skippedSteps());
        assertTrue(result.finalTestAccuracy() > 0.8, "learned from the other batches: " + result.finalTestAccuracy());
        for (float w : trainer.model().store().data()) {
            assertTrue(Float.isFinite(w));
        }
        Map<?, ?> summary = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("summary.json")), "summary.json");
        assertEquals("skip", summary.get("non_finite"));
        assertEquals(4, ((Number) summary.get("skipped_batches")).intValue());

        Path half = dir.resolve("half");
        new Trainer(config.withEpochs(2), poisoned).run(half);
        Trainer resumed = new Trainer(Trainer.savedConfig(half).withEpochs(4), poisoned).restore(half);
        assertEquals(TrainConfig.NonFinite.SKIP, Trainer.savedConfig(half).nonFinite());
        assertEquals(2, resumed.skippedBatches(), "the count survives a resume");
        resumed.run(half);
        assertEquals(4, resumed.skippedBatches());
        assertArrayEquals(trainer.model().store().data(), resumed.model().store().data());
    }

    /** {@code split} with a NaN in the first feature of training example {@code index}. */
    private static Split withNanExample(Split split, int index) {
        float[] features = split.train().features().clone();
        features[index * split.train().featureCount()] = Float.NaN;
        return new Split(split.train().withFeatures(features), split.test());
    }

    /**
     * 240 examples in batches of 7 (34 full and one of 2) accumulated 4 at a time step as batches of 28 do
     * (8 full and one of 16, the flushed remainder of 7 + 7 + 2): the same examples per step, the gradients
     * weighted by size, clipped after averaging, and a per-batch schedule stepped per optimizer step.
     */
    @Test
    void accumulatingKBatchesStepsAsOneBatchKTimesLarger() {
        TrainConfig.Builder common = TrainConfig.builder().model("mlp(hidden=[16])").optimizer("sgd(lr=0.1, momentum=0.9)")
                .schedule("steplr(step_size=3, gamma=0.8)", TrainConfig.ScheduleEvery.BATCH).clipNorm(0.5)
                .epochs(2).seed(5).data("blobs");
        Trainer large = new Trainer(common.batchSize(28).build(), BLOBS);
        large.run(dir.resolve("large"));
        Trainer accumulated = new Trainer(common.batchSize(7).accumulate(4).build(), BLOBS);
        accumulated.run(dir.resolve("accumulated"));
        float[] a = large.model().store().data();
        float[] b = accumulated.model().store().data();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5f * Math.max(1, Math.abs(a[i])), "weight " + i);
        }
        for (int e = 0; e < 2; e++) {
            EpochResult x = large.history().get(e);
            EpochResult y = accumulated.history().get(e);
            assertEquals(x.lr(), y.lr(), 1e-15, "the schedule stepped once per optimizer step");
            assertEquals(x.trainLoss(), y.trainLoss(), 1e-5);
            assertEquals(x.trainAcc(), y.trainAcc(), 1e-12);
        }
        assertNotEquals(0.1, large.history().get(1).lr());
        Trainer perBatch = new Trainer(common.batchSize(7).accumulate(1).build(), BLOBS);
        perBatch.run(dir.resolve("per-batch"));
        assertFalse(java.util.Arrays.equals(perBatch.model().store().data(), b), "without accumulation the steps differ");
        assertEquals(4, Trainer.savedConfig(dir.resolve("accumulated")).accumulate());
    }

    /** A batch size beyond the training set's size is full-batch descent, the same as the set's size exactly. */
    @Test
    void aBatchSizeAboveTheSetsSizeIsFullBatch() {
        Trainer exact = new Trainer(blobs().batchSize(240).epochs(2).build(), BLOBS);
        exact.run(dir.resolve("exact"));
        Trainer huge = new Trainer(blobs().batchSize(Integer.MAX_VALUE).epochs(2).build(), BLOBS);
        TrainResult result = huge.run(dir.resolve("huge"));
        assertTrue(Double.isFinite(result.history().get(0).trainLoss()), "one batch of all 240 examples");
        assertArrayEquals(exact.model().store().data(), huge.model().store().data());
    }

    /** L-BFGS steps with a closure that evaluates the batch again, as in PyTorch; full-batch logistic regression learns blobs. */
    @Test
    void lbfgsStepsWithAClosureOnEachBatch() {
        TrainConfig config = blobs().model("logreg()").optimizer("lbfgs(lr=1, max_iter=10)").batchSize(240).epochs(2).build();
        Trainer trainer = new Trainer(config, BLOBS);
        TrainResult result = trainer.run(dir.resolve("lbfgs"));
        assertTrue(result.ok(), result.reason());
        assertTrue(result.finalTestAccuracy() > 0.9, "test accuracy " + result.finalTestAccuracy());
        assertTrue(result.history().get(1).trainLoss() < result.history().get(0).trainLoss() * 0.5, result.history().toString());
        Path half = dir.resolve("half");
        new Trainer(config.withEpochs(1), BLOBS).run(half);
        Trainer resumed = new Trainer(Trainer.savedConfig(half).withEpochs(2), BLOBS).restore(half);
        resumed.run(half);
        assertArrayEquals(trainer.model().store().data(), resumed.model().store().data(), "its state (history, none-valued "
                + "line_search_fn) is checkpointed and resumes bit for bit");

        TrainResult wrapped = new Trainer(blobs().model("logreg()").optimizer("lookahead(lbfgs(max_iter=5), k=2)").batchSize(240)
                .epochs(1).build(), BLOBS).run(dir.resolve("wrapped"));
        assertTrue(wrapped.ok(), "a wrapped lbfgs gets the closure too");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(blobs().optimizer("lookahead(lbfgs())").accumulate(2).build(), BLOBS));
        assertTrue(e.getMessage().startsWith("accumulate 2: lookahead(lbfgs()) re-evaluates the batch"), e.getMessage());
    }

    @Test
    void resumingWithFewerEpochsThanCompletedIsRefused() {
        Path run = dir.resolve("three");
        new Trainer(blobs().epochs(3).build(), BLOBS).run(run);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(Trainer.savedConfig(run).withEpochs(2), BLOBS).restore(run));
        assertTrue(e.getMessage().contains("has completed 3 epochs already, so --epochs 2 is too few"), e.getMessage());
    }

    @Test
    void regressionWritesEmptyAccuracies() throws IOException {
        TrainConfig config = TrainConfig.builder().model("linreg()").optimizer("sgd(lr=0.05)")
                .epochs(3).batchSize(8).data("linear").build();
        TrainResult result = new Trainer(config, LINEAR).run(dir);
        assertTrue(result.ok());
        assertTrue(Double.isNaN(result.finalTestAccuracy()));
        assertTrue(result.history().get(2).testLoss() < result.history().get(0).testLoss());
        String row = Files.readAllLines(dir.resolve("history.csv")).get(1);
        assertTrue(row.matches("1,[^,]+,,[^,]+,,0\\.05,[^,]+"), row);
        Map<?, ?> summary = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("summary.json")), "summary.json");
        assertTrue(summary.containsKey("final_test_accuracy"));
        assertNull(summary.get("final_test_accuracy"));
    }

    @Test
    void aScheduleSteppedPerBatchGivesTheLastStepsRate() {
        // 240 training examples in batches of 16: 15 steps per epoch
        TrainConfig config = blobs().epochs(2).optimizer("sgd(lr=0.1)")
                .schedule("steplr(step_size=1, gamma=0.5)", TrainConfig.ScheduleEvery.BATCH).build();
        TrainResult result = new Trainer(config, BLOBS).run(dir);
        assertEquals(0.1 * Math.pow(0.5, 14), result.history().get(0).lr(), 1e-18);
        assertEquals(0.1 * Math.pow(0.5, 29), result.history().get(1).lr(), 1e-18);
    }

    @Test
    void listenersHearEveryBatchAndEpoch() {
        int[] counts = new int[2];
        new Trainer(blobs().epochs(2).build(), BLOBS).listen(new TrainListener() {
            @Override
            public void onBatchEnd(BatchProgress progress) {
                counts[0]++;
                assertEquals(15, progress.batches());
            }

            @Override
            public void onEpochEnd(EpochResult result) {
                counts[1]++;
            }
        }).run(dir);
        assertArrayEquals(new int[] {30, 2}, counts);
    }

    @Test
    void badCombinationsFailBeforeTraining() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(blobs().model("linreg()").build(), BLOBS));
        assertTrue(e.getMessage().contains("regression model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Trainer(blobs().build(), LINEAR));
        assertTrue(e.getMessage().contains("classifier"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Trainer(blobs().model("cnn()").build(), BLOBS));
        assertTrue(e.getMessage().contains("cnn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Trainer(blobs().optimizer("adma(lr=0.1)").build(), BLOBS));
        assertTrue(e.getMessage().contains("adam"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Trainer(blobs().groupRules(List.of("nothing_matches: lr=0.1")).build(), BLOBS));
        assertThrows(IllegalArgumentException.class, () -> blobs().epochs(0).build());
        e = assertThrows(IllegalArgumentException.class, () -> blobs().accumulate(0).build());
        assertTrue(e.getMessage().contains("accumulate 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.NonFinite.parse("ignore"));
        assertTrue(e.getMessage().contains("'ignore' must be stop or skip"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trainer.savedConfig(dir));
    }
}
