package dev.descent.lab;

import dev.descent.optim.problem.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceCommandTest {
    @Test
    void writesHeaderAndOneRowPerStepStartingAtTheDefaultInit() {
        Invocation run = Invocation.of("trace", "--problem", "rosenbrock", "--optimizer", "adam(lr=0.05)", "--steps", "5");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals("step,loss,p0,p1", lines.get(0));
        assertEquals(1 + 6, lines.size());
        assertEquals("0,12.5,-1.5,2.0", lines.get(1));
        for (int k = 0; k <= 5; k++) {
            String[] cells = lines.get(1 + k).split(",");
            assertEquals(4, cells.length);
            assertEquals(k, Integer.parseInt(cells[0]));
            float[] point = {Float.parseFloat(cells[2]), Float.parseFloat(cells[3])};
            assertEquals(Problem.ROSENBROCK.loss(point), Float.parseFloat(cells[1]), "row " + k);
        }
        assertEquals("", run.err());
    }

    /** L-BFGS steps through a closure (several evaluations per step); each row is still the point after k steps. */
    @Test
    void lbfgsTracesThroughAClosure() {
        Invocation run = Invocation.of("trace", "--problem", "beale", "--optimizer", "lbfgs(line_search_fn=\"strong_wolfe\")",
                "--steps", "10");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals(1 + 11, lines.size());
        String[] last = lines.get(11).split(",");
        assertTrue(Float.parseFloat(last[1]) < 1e-9, lines.get(11));
        assertEquals(3.0, Float.parseFloat(last[2]), 1e-4);
        assertEquals(0.5, Float.parseFloat(last[3]), 1e-4);
    }

    @Test
    void takesTheStartingPointAndTheProblemsDimension() {
        Invocation run = Invocation.of("trace", "--problem", "Quadratic", "--init", "1,-2,0.5,1e-3", "--optimizer", "sgd(lr=0.001)",
                "--steps", "3");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("step,loss,p0,p1,p2,p3", run.outLines().get(0));
        String[] row0 = run.outLines().get(1).split(",");
        assertArrayEquals(new String[] {"0", Float.toString(Problem.QUADRATIC.loss(new float[] {1, -2, 0.5f, 1e-3f})),
                "1.0", "-2.0", "0.5", "0.001"}, row0);
        assertEquals(5, run.outLines().size());
    }

    @Test
    void zeroStepsGiveTheStartOnly() {
        Invocation run = Invocation.of("trace", "--problem", "beale", "--optimizer", "adam", "--steps", "0");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("step,loss,p0,p1", "0," + Problem.BEALE.loss(new float[] {1, 1.5f}) + ",1.0,1.5"), run.outLines());
    }

    @Test
    void severalOptimizersFollowOneAnotherWithTheSpecAsWrittenInAQuotedColumn() {
        Invocation run = Invocation.of("trace", "--problem", "himmelblau", "--optimizer", "adam(lr=0.05)",
                "--optimizer", "sgd(lr=0.001, momentum=0.9)", "--optimizer", "nag(lr=0.001)", "--steps", "4");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals("optimizer,step,loss,p0,p1", lines.get(0));
        assertEquals(1 + 3 * 5, lines.size());
        for (int k = 0; k <= 4; k++) {
            assertTrue(lines.get(1 + k).startsWith("adam(lr=0.05)," + k + ","), lines.get(1 + k));
            assertTrue(lines.get(6 + k).startsWith("\"sgd(lr=0.001, momentum=0.9)\"," + k + ","), lines.get(6 + k));
            assertTrue(lines.get(11 + k).startsWith("nag(lr=0.001)," + k + ","), lines.get(11 + k));
        }
        assertEquals("adam(lr=0.05),0,170.0,0.0,0.0", lines.get(1));
    }

    @Test
    void sgdWalksDownRosenbrock() {
        Invocation run = Invocation.of("trace", "--problem", "rosenbrock", "--optimizer", "sgd(lr=0.001)", "--steps", "100");
        assertEquals(0, run.exitCode(), run::toString);
        float first = Float.parseFloat(run.outLines().get(1).split(",")[1]);
        float last = Float.parseFloat(run.outLines().get(101).split(",")[1]);
        assertTrue(last < first, "loss at step 100 " + last + " vs at 0 " + first);
    }

    @Test
    void keepsNonFiniteRowsAndWarnsOnce() {
        Invocation run = Invocation.of("trace", "--problem", "rosenbrock", "--optimizer", "sgd(lr=1)", "--steps", "50");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(52, run.outLines().size());
        assertTrue(run.outLines().get(51).contains("NaN") || run.outLines().get(51).contains("Infinity"), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("descent: warning: non-finite values"), run::toString);
    }

    @Test
    void writesTheFileGivenByOutCreatingItsFolders(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a/b/trace.csv");
        Invocation run = Invocation.of("trace", "--problem", "beale", "--optimizer", "rmsprop", "--steps", "10",
                "--out", file.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.out());
        List<String> lines = Files.readAllLines(file);
        assertEquals("step,loss,p0,p1", lines.get(0));
        assertEquals(12, lines.size());
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        Invocation same = Invocation.of("trace", "--problem", "beale", "--optimizer", "rmsprop", "--steps", "10");
        assertEquals(same.out(), Files.readString(file));
    }

    @Test
    void aWrapperTracesLikeAnyOptimizer() {
        // lookahead with k=1 and alpha=1 is its inner optimizer, and the schedule command sees the inner group
        Invocation plain = Invocation.of("trace", "--problem", "rosenbrock", "--optimizer", "adam(lr=0.05)", "--steps", "20");
        Invocation wrapped = Invocation.of("trace", "--problem", "rosenbrock", "--optimizer", "lookahead(adam(lr=0.05), k=1, alpha=1)",
                "--steps", "20");
        assertEquals(0, wrapped.exitCode(), wrapped::toString);
        assertEquals(plain.out(), wrapped.out());
        Invocation slow = Invocation.of("trace", "--problem", "rosenbrock", "--optimizer", "lookahead(adam(lr=0.05), k=5, alpha=0.5)",
                "--steps", "20");
        assertEquals(0, slow.exitCode(), slow::toString);
        assertEquals(21 + 1, slow.outLines().size());
        Invocation schedule = Invocation.of("schedule", "--schedule", "steplr(step_size=2, gamma=0.5)", "--optimizer",
                "ema(nag(lr=0.1))", "--steps", "2");
        assertEquals(List.of("step,lr,momentum", "0,0.1,0.9", "1,0.1,0.9", "2,0.05,0.9"), schedule.outLines(), schedule::toString);
    }
}
