package dev.descent.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code descent train} on small synthetic sets: outputs, the result line, resume, failures and bad input. */
class TrainCommandTest {
    private static final String BLOBS = "blobs(n=200, classes=3, dims=2)";

    @TempDir
    Path dir;

    @Test
    void trainsAndWritesTheRunFolder() throws IOException {
        Path out = dir.resolve("run");
        Invocation run = Invocation.of("train", "--data", BLOBS, "--model", "mlp(hidden=[16])", "--optimizer", "adam(lr=0.01)",
                "--epochs", "3", "--batch-size", "16", "--seed", "4", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(1, run.outLines().size(), run.toString());
        assertTrue(run.out().strip().matches("test_acc=[0-9.E-]+ test_loss=[0-9.E-]+ epoch_s=[0-9.E-]+"), run.out());
        double acc = Double.parseDouble(run.out().split(" ")[0].substring("test_acc=".length()));
        assertTrue(acc > 0.8, run.out());
        assertTrue(run.err().contains("epoch 1/3: train_loss="), run.err());
        assertTrue(run.err().contains("epoch 3/3: "), run.err());
        assertFalse(run.err().contains("\r"), "no progress bar when stderr is not a terminal");
        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        assertEquals("epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds", history.get(0));
        assertEquals(4, history.size());
        assertTrue(history.get(3).split(",")[4].equals(Double.toString(acc)), "stdout and history agree: " + history.get(3));
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"status\": \"ok\""), summary);
        assertTrue(summary.contains("\"data\": \"" + BLOBS + "\""), summary);
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("checkpoint/trainer.state")));
    }

    @Test
    void resumeContinuesToTheSameWeightsAsOneRun() throws IOException {
        String[] common = {"--data", "spirals(n=200)", "--model", "mlp(hidden=[16], dropout=0.2)", "--optimizer", "sgd(lr=0.1, momentum=0.9)",
                "--schedule", "cosineannealinglr(T_max=30)", "--schedule-every", "batch", "--batch-size", "32", "--seed", "9"};
        Path whole = dir.resolve("whole");
        Invocation a = Invocation.of(concat(common, "--epochs", "3", "--out", whole.toString()));
        assertEquals(0, a.exitCode(), a.toString());
        Path parts = dir.resolve("parts");
        Invocation b = Invocation.of(concat(common, "--epochs", "2", "--out", parts.toString()));
        assertEquals(0, b.exitCode(), b.toString());
        Invocation c = Invocation.of("train", "--resume", parts.toString(), "--epochs", "3");
        assertEquals(0, c.exitCode(), c.toString());
        assertTrue(c.err().contains("resuming after epoch 2"), c.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")), Files.readAllBytes(parts.resolve("model.safetensors")));
        assertEquals(a.out().replaceAll(" epoch_s=.*", ""), c.out().replaceAll(" epoch_s=.*", ""));
        assertEquals(withoutSeconds(whole), withoutSeconds(parts));
    }

    private static List<String> withoutSeconds(Path run) throws IOException {
        return Files.readAllLines(run.resolve("history.csv")).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    private static String[] concat(String[] common, String... more) {
        String[] all = new String[common.length + more.length + 1];
        all[0] = "train";
        System.arraycopy(common, 0, all, 1, common.length);
        System.arraycopy(more, 0, all, common.length + 1, more.length);
        return all;
    }

    @Test
    void aNonFiniteLossExitsOneNamingTheEpochAndBatch() throws IOException {
        Path out = dir.resolve("nan");
        Invocation run = Invocation.of("train", "--data", "linear(n=100, dims=3)", "--model", "linreg()", "--optimizer", "sgd(lr=0.001)",
                "--schedule", "exponentiallr(gamma=1e30)", "--epochs", "4", "--batch-size", "10", "--out", out.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals("", run.out());
        assertTrue(run.err().matches("(?s).*descent: train: failed: loss is (NaN|Infinity) at epoch 2, batch \\d+ of 8.*"), run.err());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"status\": \"failed\""));
        assertEquals(2, Files.readAllLines(out.resolve("history.csv")).size());
        Path one = dir.resolve("one");
        assertEquals(0, Invocation.of("train", "--data", "linear(n=100, dims=3)", "--model", "linreg()", "--optimizer", "sgd(lr=0.001)",
                "--epochs", "1", "--batch-size", "10", "--out", one.toString()).exitCode());
        assertArrayEquals(Files.readAllBytes(one.resolve("checkpoint/model.safetensors")),
                Files.readAllBytes(out.resolve("checkpoint/model.safetensors")), "the checkpoint of epoch 1 is intact");
    }

    /**
     * The same overflow under --non-finite skip: the batches after epoch 2's first step have an infinite loss
     * and are skipped, but the model's test loss is then infinite too, so the run still fails before epoch 2's
     * checkpoint, with the skipped batches counted in the summary.
     */
    @Test
    void theSkipPolicySkipsBatchesButNotARuinedModel() throws IOException {
        Path out = dir.resolve("skip");
        Invocation run = Invocation.of("train", "--data", "linear(n=100, dims=3)", "--model", "linreg()", "--optimizer", "sgd(lr=0.001)",
                "--schedule", "exponentiallr(gamma=1e30)", "--epochs", "3", "--batch-size", "10", "--non-finite", "skip",
                "--out", out.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("failed: test loss is Infinity after epoch 2; the checkpoint of epoch 1 is kept"), run.err());
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"non_finite\": \"skip\""), summary);
        assertTrue(summary.contains("\"skipped_batches\": 7"), summary);

        Invocation clean = Invocation.of("train", "--data", BLOBS, "--epochs", "1", "--non-finite", "skip", "--out",
                dir.resolve("clean").toString());
        assertEquals(0, clean.exitCode(), clean.toString());
        assertFalse(clean.err().contains("skipped"), clean.err());
    }

    @Test
    void accumulationIsRecordedAndResumedWithTheRun() throws IOException {
        Path out = dir.resolve("acc");
        Invocation run = Invocation.of("train", "--data", BLOBS, "--model", "logreg()", "--epochs", "1", "--batch-size", "8",
                "--accumulate", "4", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().contains("1 epochs of batch 8 (4 per step)"), run.err());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"accumulate\": 4"));
        Invocation again = Invocation.of("train", "--resume", out.toString(), "--epochs", "2");
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.err().contains("2 epochs of batch 8 (4 per step)"), again.err());
    }

    /**
     * A truncated IDX file found by the discovery order (here {@code ~/.descent/data/mnist}, with the home
     * folder pointed at a temporary one) is bad input: exit 2 and one line naming the file, expected and actual size.
     */
    @Test
    void aTruncatedIdxFileIsOneLineNamingTheFileAndBothSizes() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("DESCENT_DATA") == null,
                "DESCENT_DATA is set, so it would be searched before the home folder");
        Path set = Files.createDirectories(dir.resolve("home/.descent/data/mnist"));
        java.io.ByteArrayOutputStream images = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(images);
        d.writeInt(0x803);
        d.writeInt(3);
        d.writeInt(28);
        d.writeInt(28);
        d.write(new byte[2 * 784]);
        java.io.ByteArrayOutputStream labels = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream l = new java.io.DataOutputStream(labels);
        l.writeInt(0x801);
        l.writeInt(3);
        l.write(new byte[] {1, 2, 3});
        for (String part : List.of("train", "t10k")) {
            Files.write(set.resolve(part + "-images-idx3-ubyte"), images.toByteArray());
            Files.write(set.resolve(part + "-labels-idx1-ubyte"), labels.toByteArray());
        }
        String home = System.getProperty("user.home");
        Invocation run;
        try {
            System.setProperty("user.home", dir.resolve("home").toString());
            run = Invocation.of("train", "--data", "mnist", "--epochs", "1", "--out", dir.resolve("never").toString());
        } finally {
            System.setProperty("user.home", home);
        }
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().size(), run.toString());
        assertTrue(run.err().contains(set.resolve("train-images-idx3-ubyte") + ": truncated: expected 3 x 28 x 28 = 2352 bytes"),
                run.toString());
        assertTrue(run.err().contains("ends at byte offset 1584"), run.toString());
        assertFalse(Files.exists(dir.resolve("never")));
    }

    @Test
    void regressionPrintsNoAccuracy() {
        Invocation run = Invocation.of("train", "--data", "linear(n=100, dims=3)", "--model", "linreg()", "--optimizer", "sgd(lr=0.05)",
                "--epochs", "2", "--out", dir.resolve("lin").toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("test_loss="), run.out());
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("unknown model 'mpl'", new String[] {"--data", BLOBS, "--model", "mpl()"}),
                Arguments.of("unknown optimizer 'adma'", new String[] {"--data", BLOBS, "--optimizer", "adma(lr=0.1)"}),
                Arguments.of("--data blob: ", new String[] {"--data", "blob"}),
                Arguments.of("nothing.csv: no such file", new String[] {"--data", "csv(\"nothing.csv\", target=\"y\")"}),
                Arguments.of("--data csv:iris.csv: name the column to predict, e.g. --data 'csv(\"iris.csv\", target=",
                        new String[] {"--data", "csv:iris.csv"}),
                Arguments.of("cnn needs images", new String[] {"--data", BLOBS, "--model", "cnn()"}),
                Arguments.of("is a regression model", new String[] {"--data", BLOBS, "--model", "linreg()"}),
                Arguments.of("is a classifier", new String[] {"--data", "linear(n=50)"}),
                Arguments.of("missing --data", new String[] {"--epochs", "2"}),
                Arguments.of("--epochs 0: must be 1 or more", new String[] {"--data", BLOBS, "--epochs", "0"}),
                Arguments.of("--batch-size -3: must be 1 or more", new String[] {"--data", BLOBS, "--batch-size", "-3"}),
                Arguments.of("--schedule \"stplr(step_size=1)\": unknown schedule 'stplr'",
                        new String[] {"--data", BLOBS, "--schedule", "stplr(step_size=1)"}),
                Arguments.of("--schedule-every: schedule step 'week' must be batch or epoch",
                        new String[] {"--data", BLOBS, "--schedule", "steplr(step_size=1)", "--schedule-every", "week"}),
                Arguments.of("group rule \"nomatch: lr=0.1\": the pattern", new String[] {"--data", BLOBS, "--group", "nomatch: lr=0.1"}),
                Arguments.of("--restore-best needs --patience", new String[] {"--data", BLOBS, "--restore-best"}),
                Arguments.of("--non-finite: non-finite policy 'ignore' must be stop or skip",
                        new String[] {"--data", BLOBS, "--non-finite", "ignore"}),
                Arguments.of("--accumulate 0: must be 1 or more", new String[] {"--data", BLOBS, "--accumulate", "0"}),
                Arguments.of("invalid value for option '--accumulate': 'two' is not an int",
                        new String[] {"--data", BLOBS, "--accumulate", "two"}),
                Arguments.of("--accumulate cannot be given with it", new String[] {"--resume", ".", "--accumulate", "2"}),
                Arguments.of("--resume", new String[] {"--resume", "no/such/run"}),
                Arguments.of("--model cannot be given with it", new String[] {"--resume", ".", "--model", "logreg()"}));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badInputExitsTwoWithOneLine(String expected, String[] args) {
        String[] all = new String[args.length + 3];
        all[0] = "train";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--out";
        all[args.length + 2] = dir.resolve("bad").toString();
        if (List.of(args).contains("--resume")) {
            all = java.util.Arrays.copyOf(all, args.length + 1);
        }
        Invocation run = Invocation.of(all);
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("", run.out());
        assertEquals(1, run.errLines().size(), run.toString());
        assertTrue(run.err().startsWith("descent: ") && run.err().contains(expected), run.toString());
        assertFalse(Files.exists(dir.resolve("bad")), "no run folder for bad input");
    }

    /** Two runs started in the same second get two default folders: creating the folder claims the name. */
    @Test
    void runsStartedInTheSameSecondGetTheirOwnDefaultFolders() throws IOException {
        java.time.LocalDateTime then = java.time.LocalDateTime.of(2000, 1, 2, 3, 4, 5);
        Path first = TrainCommand.claimDefaultFolder(then);
        Path second = TrainCommand.claimDefaultFolder(then);
        try {
            assertEquals(Path.of("runs", "train-20000102-030405"), first);
            assertEquals(Path.of("runs", "train-20000102-030405-2"), second);
            assertTrue(Files.isDirectory(first) && Files.isDirectory(second));
        } finally {
            Files.deleteIfExists(first);
            Files.deleteIfExists(second);
            try {
                Files.deleteIfExists(first.getParent());
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // runs/ holds other runs: leave it
            }
        }
    }

    @Test
    void aFolderWithARunIsNotOverwritten() {
        Path out = dir.resolve("taken");
        assertEquals(0, Invocation.of("train", "--data", BLOBS, "--epochs", "1", "--out", out.toString()).exitCode());
        Invocation again = Invocation.of("train", "--data", BLOBS, "--epochs", "1", "--out", out.toString());
        assertEquals(2, again.exitCode(), again.toString());
        assertTrue(again.err().contains("--resume " + out), again.err());
    }
}
