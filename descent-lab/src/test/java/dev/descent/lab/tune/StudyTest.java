package dev.descent.lab.tune;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyTest {
    private static final SearchSpace SPACE = SearchSpace.parse(
            "sgd(lr=loguniform(1e-4, 1.0), momentum=choice(0.0, 0.5, 0.9), dampening=intuniform(0, 3))");

    /** A noisy bowl in log10(lr) with a minimum at lr = 0.01, reporting over 9 epochs; waits a varying time so that trials finish out of order. */
    private static Objective bowl(boolean sleepy) {
        return trial -> {
            double lr = (Double) trial.params().get("lr");
            double momentum = (Double) trial.params().get("momentum");
            double noise = new java.util.SplittableRandom(trial.seed()).nextDouble() * 0.01;
            double target = Math.pow(Math.log10(lr) + 2, 2) + (momentum == 0.5 ? 0 : 0.3) + noise;
            for (int epoch = 1; epoch <= 9; epoch++) {
                if (sleepy) {
                    Thread.sleep((trial.number() * 7L + epoch * 3L) % 5);
                }
                trial.report(epoch, target + 1.0 / epoch);
            }
            return target;
        };
    }

    /** Each record without its wall time, one line each. */
    private static List<String> table(List<TrialRecord> records) {
        return records.stream().map(r -> r.number() + " " + r.state() + " " + r.score() + " " + r.spec() + " "
                + Arrays.toString(r.values()) + " " + r.intermediate() + " " + r.reason()).toList();
    }

    @Test
    void theSameSeedGivesTheSameTrialsWhateverOrderTheyFinishIn() throws Exception {
        Study a = new Study(SPACE, new TpeSampler(3, 5, 0.25, 24), new AshaPruner(1, 3), 3, 2, null);
        Study b = new Study(SPACE, new TpeSampler(3, 5, 0.25, 24), new AshaPruner(1, 3), 3, 2, null);
        List<String> first = table(a.optimize(24, bowl(false)));
        List<String> second = table(b.optimize(24, bowl(true)));
        assertEquals(first, second);
        assertTrue(first.stream().anyMatch(line -> line.contains(" PRUNED ")), "the pruner acts: " + first);
    }

    @Test
    void resumesFromTheStudyFileAfterACrashAndEndsWithTheSameTable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("study.jsonl");
        List<String> uninterrupted = table(new Study(SPACE, new TpeSampler(5, 5, 0.25, 24), new AshaPruner(1, 3), 5, 2, null)
                .optimize(20, bowl(false)));

        // The first run dies (an Error is not a trial failure) when trial 12 starts.
        AtomicInteger calls = new AtomicInteger();
        Objective crashing = trial -> {
            if (trial.number() == 12) {
                throw new OutOfMemoryError("simulated crash");
            }
            calls.incrementAndGet();
            return bowl(false).evaluate(trial);
        };
        assertThrows(OutOfMemoryError.class,
                () -> new Study(SPACE, new TpeSampler(5, 5, 0.25, 24), new AshaPruner(1, 3), 5, 2, file).optimize(20, crashing));
        List<String> lines = Files.readAllLines(file);
        int kept = lines.size() - 1;
        assertTrue(kept >= 10 && kept <= 13, "trials recorded before the crash: " + kept);
        // The crash also cut the last line short.
        Files.writeString(file, "{\"number\":99,\"sta", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        AtomicInteger rerun = new AtomicInteger();
        List<TrialRecord> resumed = new Study(SPACE, new TpeSampler(5, 5, 0.25, 24), new AshaPruner(1, 3), 5, 2, file)
                .optimize(20, trial -> {
                    rerun.incrementAndGet();
                    return bowl(false).evaluate(trial);
                });
        assertEquals(uninterrupted, table(resumed));
        assertEquals(20 - kept, rerun.get(), "only the trials missing from the file run again");
        assertEquals(21, Files.readAllLines(file).size(), "the header and one line per trial");
    }

    @Test
    void aStudyFileOfAnotherStudyIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("study.jsonl");
        new Study(SPACE, new RandomSampler(1), Pruner.NONE, 1, 1, file).optimize(2, bowl(false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Study(SPACE, new RandomSampler(2), Pruner.NONE, 2, 1, file).optimize(2, bowl(false)));
        assertTrue(e.getMessage().contains("holds another study"), e.getMessage());
    }

    @Test
    void failedTrialsAreRecordedAndTheStudyGoesOn() throws Exception {
        List<TrialRecord> records = new Study(SPACE, new RandomSampler(4), Pruner.NONE, 4, 2, null).optimize(6, trial -> switch (trial.number()) {
            case 1 -> throw new IllegalStateException("diverged");
            case 2 -> Double.NaN;
            case 3 -> {
                trial.report(1, Double.POSITIVE_INFINITY);
                yield 0.0;
            }
            default -> 1.0 + trial.number();
        });
        assertEquals(List.of(TrialState.COMPLETE, TrialState.FAILED, TrialState.FAILED, TrialState.FAILED, TrialState.COMPLETE,
                TrialState.COMPLETE), records.stream().map(TrialRecord::state).toList());
        assertEquals("IllegalStateException: diverged", records.get(1).reason());
        assertEquals("score is NaN", records.get(2).reason());
        assertTrue(records.get(3).reason().contains("Infinity at epoch 1 is not finite"), records.get(3).reason());
        assertEquals(0, Study.best(records).orElseThrow().number());
    }

    @Test
    void aGridStudyStopsWhenTheGridIsDone() throws IOException, InterruptedException {
        List<TrialRecord> records = new Study(SearchSpace.parse("sgd(lr=choice(0.1, 0.01), momentum=choice(0.0, 0.9))"),
                new GridSampler(3), Pruner.NONE, 0, 2, null).optimize(50, trial -> 1.0);
        assertEquals(4, records.size());
    }
}
