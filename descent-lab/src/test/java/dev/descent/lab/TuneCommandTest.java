package dev.descent.lab;

import dev.descent.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TuneCommandTest {
    private static final String SPACE = "adam(lr=loguniform(1e-3, 0.5), betas=(uniform(0.8, 0.95), 0.999))";

    @Test
    void printsATableOfTrialsAndTheBestTrial() {
        Invocation run = Invocation.of("tune", "--space", SPACE, "--problem", "rosenbrock", "--trials", "16", "--steps", "100");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertTrue(lines.get(0).matches("trial +state +score +steps +lr +betas\\[0\\] +best"), lines.get(0));
        assertEquals(1 + 16 + 1, lines.size(), run::toString);
        String bestLine = lines.get(lines.size() - 1);
        assertTrue(bestLine.matches("best: trial=\\d+ score=\\S+ spec=adam\\(lr=\\S+, betas=\\(\\S+, 0\\.999\\)\\)"), bestLine);
        Optimizers.parse(bestLine.substring(bestLine.indexOf("spec=") + 5));
        int marked = 0;
        for (String line : lines.subList(1, 17)) {
            assertTrue(line.matches(" *\\d+ +(complete|pruned|failed) .*"), line);
            marked += line.endsWith("*") ? 1 : 0;
        }
        assertEquals(1, marked);
        assertTrue(run.err().contains("16 trials"), run::toString);
    }

    @Test
    void writesResultsCsvAndResumesFromTheStudyFile(@TempDir Path dir) throws Exception {
        String[] args = {"tune", "--space", SPACE, "--problem", "beale", "--trials", "12", "--steps", "60", "--seed", "4",
                "--sampler", "random", "--pruner", "asha(min_resource=1, eta=3)", "--out", dir.toString()};
        Invocation first = Invocation.of(args);
        assertEquals(0, first.exitCode(), first::toString);
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals("trial,state,score,steps,lr,betas[0],best,spec,reason,seconds", csv.get(0));
        assertEquals(13, csv.size());
        assertEquals(13, Files.readAllLines(dir.resolve("study.jsonl")).size());
        Invocation again = Invocation.of(args);
        assertEquals(first.out(), again.out(), "a rerun reads every trial back from the study file");
    }

    @Test
    void aGridOfChoicesRunsEachOptionOnce() {
        Invocation run = Invocation.of("tune", "--space", "choice(sgd(lr=0.001), adam(lr=0.05), nag(lr=0.001))", "--problem",
                "quadratic", "--steps", "50", "--sampler", "grid", "--pruner", "none", "--trials", "10");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals(1 + 3 + 1, lines.size(), run::toString);
        assertTrue(lines.get(1).contains("sgd(lr=0.001)") && lines.get(2).contains("adam(lr=0.05)"), run::toString);
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        assertBad("--space: space \"adam(lr=0.001)\": no distribution in it", "--space", "adam(lr=0.001)", "--problem", "beale");
        assertBad("low must be below high", "--space", "adam(lr=uniform(0.5, 0.1))", "--problem", "beale");
        assertBad("unknown distribution 'lognormal'", "--space", "adam(lr=lognormal(0, 1))", "--problem", "beale");
        assertBad("--space: the space gives \"adam(lr=-0.1)\", which is not a valid optimizer", "--space",
                "adam(lr=uniform(-0.1, 0.1))", "--problem", "beale");
        assertBad("--space: the space gives \"adma(lr=0.001)\"", "--space", "adma(lr=loguniform(0.001, 0.1))", "--problem", "beale");
        assertBad("--problem", "--space", SPACE, "--problem", "rosenbrok");
        assertBad("--sampler 'bayes': valid samplers are tpe, random, grid", "--space", SPACE, "--problem", "beale", "--sampler", "bayes");
        assertBad("--pruner \"asha(eta=1)\": asha eta 1: must be at least 2", "--space", SPACE, "--problem", "beale", "--pruner", "asha(eta=1)");
        assertBad("--pruner \"hyperband\": unknown pruner 'hyperband'", "--space", SPACE, "--problem", "beale", "--pruner", "hyperband");
        assertBad("--trials 0", "--space", SPACE, "--problem", "beale", "--trials", "0");
    }

    @Test
    void aStudyFileOfAnotherStudyIsBadInput(@TempDir Path dir) {
        Path study = dir.resolve("s.jsonl");
        assertEquals(0, Invocation.of("tune", "--space", SPACE, "--problem", "beale", "--trials", "2", "--study", study.toString()).exitCode());
        assertBad("; seed 0 where this one has 9", "--space", SPACE, "--problem", "beale", "--trials", "2", "--seed", "9",
                "--study", study.toString());
        assertBad("holds another study: objective \"final loss on beale after 200 steps, checkpoints every 10\" where this one has "
                + "\"final loss on beale after 100 steps, checkpoints every 5\"", "--space", SPACE, "--problem", "beale", "--trials", "2",
                "--steps", "100", "--study", study.toString());
    }

    private static final String DATA = "blobs(n=120, classes=3, dims=2)";
    private static final String SGD_SPACE = "sgd(lr=loguniform(1e-4, 1.0), momentum=uniform(0, 0.9))";

    @Test
    void trainsEachTrialPrunesByEpochAndResumes(@TempDir Path dir) throws Exception {
        String[] args = {"tune", "--space", SGD_SPACE, "--data", DATA, "--model", "mlp(hidden=[8])", "--epochs", "4",
                "--batch-size", "16", "--trials", "10", "--sampler", "random", "--seed", "3", "--out", dir.toString()};
        Invocation first = Invocation.of(args);
        assertEquals(0, first.exitCode(), first::toString);
        List<String> lines = first.outLines();
        assertTrue(lines.get(0).matches("trial +state +score +epochs +lr +momentum +best"), lines.get(0));
        assertEquals(1 + 10 + 1, lines.size(), first::toString);
        int pruned = 0;
        for (String line : lines.subList(1, 11)) {
            String[] cells = line.strip().split(" +");
            int epochs = Integer.parseInt(cells[3]);
            if (cells[1].equals("pruned")) {
                pruned++;
                // Rungs of asha(min_resource=1, eta=2) at epochs 1 and 2; none at the last epoch, 4.
                assertTrue(epochs == 1 || epochs == 2, line);
            } else {
                assertEquals("complete", cells[1], line);
                assertEquals(4, epochs, line);
            }
        }
        assertTrue(pruned >= 3, "ASHA stops some of 10 trials by epoch:\n" + first.out());
        List<String> study = Files.readAllLines(dir.resolve("study.jsonl"));
        assertTrue(study.get(0).contains("\"objective\":\"final test loss of mlp(hidden=[8]) on " + DATA + " after 4 epochs of batch 16"),
                study.get(0));
        String firstTrial = study.stream().filter(l -> l.contains("\"number\":0,")).findFirst().orElseThrow();
        assertTrue(firstTrial.contains("\"intermediate\":{\"1\":"), firstTrial);
        assertTrue(Files.exists(dir.resolve("trials/000/history.csv")), "each trial's run folder is kept under trials/");
        assertEquals(11, Files.readAllLines(dir.resolve("results.csv")).size());

        Invocation again = Invocation.of(args);
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(first.out(), again.out(), "a rerun reads every trial back from the study file");
        assertTrue(again.err().contains("10 trials read back"), again::toString);
    }

    @Test
    void trialsOnBothCoresShareTheDataAndGiveTheSameResultsAsOneAtATime() {
        String[] common = {"tune", "--space", SGD_SPACE, "--data", DATA, "--model", "mlp(hidden=[8], dropout=0.2)", "--epochs", "3",
                "--trials", "6", "--sampler", "random", "--seed", "5", "--jobs"};
        Invocation one = Invocation.of(append(common, "1"));
        Invocation two = Invocation.of(append(common, "2"));
        assertEquals(0, one.exitCode(), one::toString);
        assertEquals(one.out(), two.out(), "the data are read only and each trial's randomness comes from its configuration");
    }

    private static String[] append(String[] args, String last) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }

    @Test
    void accuracyMetricScoresOneMinusTestAccuracy(@TempDir Path dir) throws Exception {
        Invocation run = Invocation.of("tune", "--space", "choice(sgd(lr=0.1), adam(lr=0.01))", "--data", DATA, "--model",
                "mlp(hidden=[8])", "--epochs", "2", "--sampler", "grid", "--pruner", "none", "--metric", "accuracy",
                "--out", dir.toString());
        assertEquals(0, run.exitCode(), run::toString);
        for (String line : run.outLines().subList(1, 3)) {
            String[] cells = line.strip().split(" +");
            int trial = Integer.parseInt(cells[0]);
            List<String> history = Files.readAllLines(dir.resolve(String.format("trials/%03d/history.csv", trial)));
            double testAcc = Double.parseDouble(history.get(history.size() - 1).split(",")[4]);
            assertEquals(1 - testAcc, Double.parseDouble(cells[2]), 1e-6, line);
        }
    }

    @Test
    void writesAnOfflineReportWithTheChartsAsPng(@TempDir Path dir) throws Exception {
        Invocation run = Invocation.of("tune", "--space", SGD_SPACE, "--data", DATA, "--model", "mlp(hidden=[8])", "--epochs", "3",
                "--trials", "6", "--sampler", "random", "--out", dir.toString());
        assertEquals(0, run.exitCode(), run::toString);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"), "the page needs no network");
        String best = run.outLines().get(run.outLines().size() - 1);
        String bestSpec = best.substring(best.indexOf("spec=") + 5);
        int bestSection = html.indexOf("<h2>Best trial</h2>");
        assertTrue(bestSection > 0 && html.indexOf(bestSpec, bestSection) > bestSection, html);
        for (String chart : List.of("params", "progress")) {
            byte[] png = Files.readAllBytes(dir.resolve(chart + ".png"));
            assertEquals((byte) 0x89, png[0]);
            assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(html.contains(java.util.Base64.getEncoder().encodeToString(png)), chart + ".png is embedded in the page");
            assertTrue(Files.size(dir.resolve(chart + ".svg")) > 0);
        }
        assertTrue(html.contains("<h2>Score against each hyperparameter</h2>") && html.contains("<h2>Best score so far</h2>"), html);
        int table = html.indexOf("<table class=\"trials\">");
        assertTrue(table > 0, html);
        String trials = html.substring(table, html.indexOf("</table>", table));
        assertTrue(trials.contains("<th>epochs</th><th>lr</th><th>momentum</th>"), trials);
        assertEquals(6, trials.split("<tr", -1).length - 2, "one row per trial below the header row");
        assertEquals(1, trials.split("<tr class=\"best\"", -1).length - 1, "one best row");
    }

    @Test
    void needsExactlyOneOfProblemAndData() {
        assertBad("give --problem NAME (a test problem) or --data NAME", "--space", SPACE);
        assertBad("--problem beale and --data " + DATA + ": give one of them", "--space", SPACE, "--problem", "beale", "--data", DATA);
        assertBad("--steps 10 is for --problem; with --data give --epochs", "--space", SPACE, "--data", DATA, "--steps", "10");
        assertBad("--epochs is for training: give --data NAME instead of --problem beale", "--space", SPACE, "--problem", "beale",
                "--epochs", "3");
        assertBad("--metric 'f1': valid metrics are loss, accuracy", "--space", SPACE, "--data", DATA, "--metric", "f1");
        assertBad("--space: the space gives \"sgd(lr=-0.1)\"", "--space", "sgd(lr=uniform(-0.1, 0.1))", "--data", DATA);
        assertBad("--epochs 0: must be 1 or more", "--space", SPACE, "--data", DATA, "--epochs", "0");
    }

    private static void assertBad(String part, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "tune";
        System.arraycopy(args, 0, all, 1, args.length);
        Invocation run = Invocation.of(all);
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("descent: ") && run.err().contains(part), run::toString);
    }
}
