package dev.descent.lab;

import dev.descent.optim.Optimizers;
import dev.descent.optim.problem.Problem;
import dev.descent.optim.transform.Transforms;
import dev.descent.lab.plot.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareCommandTest {
    private static final List<String> CLASSIC = List.of("sgd", "momentum", "nag", "adagrad", "rmsprop", "adadelta", "adam", "nadam");

    @Test
    void comparesTheEightClassicOptimizersOnTheFourProblems() {
        Invocation run = Invocation.of("compare", "--problem", "classic");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertTrue(lines.get(0).matches("problem +optimizer +final_loss +distance_to_min +steps_to_1e-3 +best"), lines.get(0));
        assertEquals(1 + 8 * 4, lines.size(), run::toString);
        int row = 1;
        for (Problem problem : Problem.classic()) {
            int marked = 0;
            for (String name : CLASSIC) {
                String line = lines.get(row++);
                assertTrue(line.startsWith(problem.id() + " "), line);
                assertTrue(line.contains(" " + name + "(lr="), line);
                marked += line.endsWith("*") ? 1 : 0;
            }
            assertEquals(1, marked, "one best run per problem");
        }
        for (String line : lines) {
            assertFalse(line.contains("NaN") || line.contains("Infinity"), "the defaults stay finite: " + line);
            assertEquals(line.stripTrailing(), line);
        }
        assertTrue(run.err().contains("32 runs"), run::toString);
    }

    @Test
    void columnsLineUp() {
        List<String> lines = Invocation.of("compare", "--problem", "beale,himmelblau").outLines();
        int lossEnd = lines.get(0).indexOf("final_loss") + "final_loss".length();
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(line.charAt(lossEnd - 1) != ' ' && line.charAt(lossEnd) == ' ', "numbers align right: " + line);
        }
    }

    @Test
    void takesOptimizersProblemsAndSteps() {
        Invocation run = Invocation.of("compare", "--optimizers", "adam(lr=0.1); sgd(lr=0.001, momentum=0.9);",
                "--problems", "quadratic, himmelblau", "--steps", "20");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals(5, lines.size(), run::toString);
        assertTrue(lines.get(1).startsWith("quadratic   adam(lr=0.1) "), lines.get(1));
        assertTrue(lines.get(2).startsWith("quadratic   sgd(lr=0.001, momentum=0.9) "), lines.get(2));
        assertTrue(lines.get(3).startsWith("himmelblau  adam(lr=0.1) "), lines.get(3));
    }

    @Test
    void writesResultsAndTracesToOut(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("runs/first");
        Invocation run = Invocation.of("compare", "--optimizers", "adam(lr=0.1); adam(lr=0.01); nag(lr=0.001)",
                "--problems", "rosenbrock", "--steps", "30", "--out", out.toString());
        assertEquals(0, run.exitCode(), run::toString);
        List<String> results = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("problem,optimizer,final_loss,distance_to_min,steps_to_1e-3,best,trace", results.get(0));
        assertEquals(4, results.size());
        assertTrue(results.get(1).startsWith("rosenbrock,adam(lr=0.1),"), results.get(1));
        assertTrue(results.get(1).endsWith(",rosenbrock-adam.csv"), results.get(1));
        assertTrue(results.get(2).endsWith(",rosenbrock-adam-2.csv"), results.get(2));
        assertTrue(results.get(3).endsWith(",rosenbrock-nag.csv"), results.get(3));
        long best = results.stream().filter(l -> l.contains(",true,")).count();
        assertEquals(1, best);
        List<String> trace = Files.readAllLines(out.resolve("rosenbrock-adam-2.csv"));
        assertEquals("step,loss,p0,p1", trace.get(0));
        assertEquals(32, trace.size());
        String traced = Invocation.of("trace", "--problem", "rosenbrock", "--optimizer", "adam(lr=0.01)", "--steps", "30").out();
        assertEquals(traced, Files.readString(out.resolve("rosenbrock-adam-2.csv")));
        String lastLoss = trace.get(31).split(",")[1];
        assertEquals(lastLoss, results.get(2).split(",")[2]);
        Images.png(Files.readAllBytes(out.resolve("rosenbrock.png")));
        assertTrue(Images.svgPaths(Files.readAllBytes(out.resolve("rosenbrock.svg"))) > 10);
        Document report = TrainingCompareTest.parse(out.resolve("report.html"));
        assertEquals(1, TrainingCompareTest.images(report).size(), "one trace picture");
        assertTrue(report.getElementsByTagName("pre").item(0).getTextContent().contains("rosenbrock  adam(lr=0.1)"));
    }

    @Test
    void numbersDoNotDependOnTheLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            Invocation run = Invocation.of("compare", "--problem", "himmelblau");
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.outLines().get(1).matches(".*\\d\\.\\d.*"), run::toString);
            assertFalse(run.out().matches("(?s).*\\d,\\d.*"), run::toString);
            assertFalse(run.err().matches("(?s).*\\d,\\d.*"), run::toString);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void helpListsOptimizersTransformsAndProblems() {
        for (String command : List.of("trace", "compare")) {
            Invocation run = Invocation.of(command, "--help");
            assertEquals(0, run.exitCode(), run::toString);
            for (String name : Optimizers.names()) {
                assertTrue(run.out().contains(name), name + " in\n" + run.out());
            }
            for (Problem p : Problem.values()) {
                assertTrue(run.out().contains(p.id()), p.id() + " in\n" + run.out());
            }
        }
        Invocation trace = Invocation.of("trace", "--help");
        for (String name : Transforms.names()) {
            assertTrue(trace.out().contains(name), "transform " + name + " in\n" + trace.out());
        }
        Invocation bench = Invocation.of("bench", "step", "--help");
        assertEquals(0, bench.exitCode(), bench::toString);
        assertTrue(bench.out().contains("nadam"), bench::toString);
        assertEquals(0, Invocation.of("--help").exitCode());
    }
}
