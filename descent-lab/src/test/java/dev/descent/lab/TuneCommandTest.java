package dev.descent.lab;

import dev.descent.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
