package dev.descent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleCommandTest {
    /** PyTorch 1.13's schedules, recorded by tools/golden/schedules.py in descent-optim's test resources. */
    private static final Path GOLDEN = Path.of("../descent-optim/src/test/resources/golden/schedules.json");

    @Test
    void writesTheHeaderAndOneRowPerStepWithTheDefaultOptimizer() {
        Invocation run = Invocation.of("schedule", "--schedule", "steplr(step_size=2, gamma=0.5)", "--steps", "5");
        assertEquals(0, run.exitCode(), run::toString);
        // sgd(lr=0.1) has momentum 0, as in PyTorch: the column reads 0.0, not empty.
        assertEquals(List.of("step,lr,momentum", "0,0.1,0.0", "1,0.1,0.0", "2,0.05,0.0", "3,0.05,0.0", "4,0.025,0.0",
                "5,0.025,0.0"), run.outLines());
        assertEquals("", run.err());
    }

    @Test
    void zeroStepsGiveStepZeroOnly() {
        Invocation run = Invocation.of("schedule", "--schedule", "linearlr(start_factor=0.5, total_iters=4)",
                "--optimizer", "adam(lr=0.01)", "--steps", "0");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("step,lr,momentum", "0,0.005,0.9"), run.outLines());
    }

    @Test
    void oneCycleSetsTheLrAndMomentumOfSgdFromStepZero() {
        // max_lr=1, total_steps=10, pct_start=0.3: the lr rises from 1/25 to 1 at step 2 while the momentum
        // falls from max_momentum 0.95 to base_momentum 0.85, whatever momentum the optimizer was given.
        List<double[]> rows = rows(Invocation.of("schedule", "--schedule", "onecyclelr(max_lr=1.0, total_steps=10)",
                "--optimizer", "sgd(lr=0.1, momentum=0.9)", "--steps", "10"), 11);
        assertClose(0.04, rows.get(0)[1], "lr at 0");
        assertClose(0.95, rows.get(0)[2], "momentum at 0");
        assertClose(1.0, rows.get(2)[1], "lr at 2");
        assertClose(0.85, rows.get(2)[2], "momentum at 2");
        assertClose(0.04 / 1e4, rows.get(9)[1], "lr at 9");
        assertClose(0.95, rows.get(9)[2], "momentum at 9");
    }

    @Test
    void oneCycleSetsBeta1OfAdam() {
        List<double[]> sgd = rows(Invocation.of("schedule", "--schedule", "onecyclelr(max_lr=1.0, total_steps=10)",
                "--optimizer", "sgd(lr=0.1, momentum=0.9)", "--steps", "10"), 11);
        List<double[]> adam = rows(Invocation.of("schedule", "--schedule", "onecyclelr(max_lr=1.0, total_steps=10)",
                "--optimizer", "adam(betas=(0.5, 0.99))", "--steps", "10"), 11);
        for (int k = 0; k <= 10; k++) {
            assertEquals(sgd.get(k)[1], adam.get(k)[1], "lr at " + k);
            assertEquals(sgd.get(k)[2], adam.get(k)[2], "beta1 at " + k);
        }
    }

    @Test
    void scheduleThatLeavesMomentumAloneShowsTheOptimizersOwn() {
        Invocation run = Invocation.of("schedule", "--schedule", "exponentiallr(gamma=0.5)", "--optimizer",
                "rmsprop(lr=0.01, momentum=0.3)", "--steps", "2");
        assertEquals(List.of("step,lr,momentum", "0,0.01,0.3", "1,0.005,0.3", "2,0.0025,0.3"), run.outLines());
    }

    @Test
    void momentumIsEmptyForOptimizersWithoutOne() {
        Invocation run = Invocation.of("schedule", "--schedule", "steplr(step_size=1, gamma=0.5)", "--optimizer",
                "adagrad(lr=0.1)", "--steps", "2");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("step,lr,momentum", "0,0.1,", "1,0.05,", "2,0.025,"), run.outLines());
    }

    @Test
    void reduceLrOnPlateauTakesOneMetricPerStep() {
        // patience=0: the lr drops by factor 0.1 after every step whose metric is no better than the best.
        Invocation run = Invocation.of("schedule", "--schedule", "reducelronplateau(patience=0)", "--steps", "4",
                "--metrics", "3, 2,2.5,1e-1");
        assertEquals(0, run.exitCode(), run::toString);
        List<double[]> rows = rows(run, 5);
        double[] expected = {0.1, 0.1, 0.1, 0.01, 0.01};
        for (int k = 0; k <= 4; k++) {
            assertClose(expected[k], rows.get(k)[1], "lr at " + k);
        }
        Invocation none = Invocation.of("schedule", "--schedule", "reducelronplateau", "--steps", "0");
        assertEquals(List.of("step,lr,momentum", "0,0.1,0.0"), none.outLines(), none::toString);
    }

    @Test
    void showsTheScheduledValueTheOptimizerRejectsAsPyTorchDoesWithAWarning() {
        // Linear three-phase OneCycleLR extrapolates below 0 at k = total_steps; PyTorch sets the group unchecked.
        Invocation run = Invocation.of("schedule", "--schedule", "onecyclelr(max_lr=0.003, total_steps=64, "
                + "anneal_strategy='linear', three_phase=true, pct_start=0.4)", "--optimizer", "adam", "--steps", "64");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Double.parseDouble(run.outLines().get(65).split(",")[1]) < 0, run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("descent: warning: --optimizer \"adam\" rejects the value the schedule sets at step 64 ("),
                run::toString);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"steplr-1", "onecyclelr-1", "onecyclelr-6", "cycliclr-7", "cosineannealingwarmrestarts-2",
            "sequentiallr-4", "reducelronplateau-1", "reducelronplateau-4", "reducelronplateau-6"})
    void matchesPyTorch(String id) throws IOException {
        JsonNode golden = golden(id);
        int steps = golden.get("steps").asInt();
        List<String> args = new ArrayList<>(List.of("schedule", "--schedule", golden.get("spec").asText(),
                "--optimizer", golden.get("optimizer").asText(), "--steps", Integer.toString(steps)));
        if (golden.hasNonNull("metrics")) {
            List<String> metrics = new ArrayList<>();
            golden.get("metrics").forEach(m -> metrics.add(Double.toString(m.asDouble())));
            args.add("--metrics");
            args.add(String.join(",", metrics));
        }
        Invocation run = Invocation.of(args.toArray(new String[0]));
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals(steps + 2, lines.size());
        for (int k = 0; k <= steps; k++) {
            String[] cells = lines.get(1 + k).split(",", -1);
            assertEquals(3, cells.length, lines.get(1 + k));
            assertEquals(Integer.toString(k), cells[0]);
            assertClose(golden.get("lr").get(k).get(0).asDouble(), Double.parseDouble(cells[1]), id + " lr at " + k);
            if (golden.get("momentum").isNull()) {
                assertEquals("", cells[2], id + " momentum at " + k);
            } else {
                assertClose(golden.get("momentum").get(k).get(0).asDouble(), Double.parseDouble(cells[2]),
                        id + " momentum at " + k);
            }
        }
    }

    @Test
    void writesTheFileGivenByOut(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/lr.csv");
        Invocation run = Invocation.of("schedule", "--schedule", "steplr(step_size=1)", "--steps", "1", "--out", file.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertTrue(run.err().contains("wrote"), run::toString);
        assertEquals("step,lr,momentum\n0,0.1,0.0\n1,0.010000000000000002,0.0\n", Files.readString(file));
    }

    /** The golden run {@code id}. */
    private static JsonNode golden(String id) throws IOException {
        for (JsonNode r : new ObjectMapper().readTree(GOLDEN.toFile()).get("runs")) {
            if (r.get("id").asText().equals(id)) {
                assertEquals(1, r.get("groups").size(), id + " has one group");
                return r;
            }
        }
        throw new AssertionError("no golden run " + id + " in " + GOLDEN);
    }

    /** The rows as numbers (NaN for an empty momentum), checking the header, the count and the step column. */
    private static List<double[]> rows(Invocation run, int count) {
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals("step,lr,momentum", lines.get(0));
        assertEquals(count + 1, lines.size(), run::toString);
        List<double[]> rows = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            String[] cells = lines.get(1 + k).split(",", -1);
            assertEquals(k, Integer.parseInt(cells[0]));
            rows.add(new double[] {k, Double.parseDouble(cells[1]), cells[2].isEmpty() ? Double.NaN : Double.parseDouble(cells[2])});
        }
        return rows;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(expected), 1e-300),
                () -> what + ": expected " + expected + " but got " + actual);
    }
}
