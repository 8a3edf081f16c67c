package dev.descent.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainHarnessTest {
    @TempDir
    Path dir;

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String field : line.split(" ")) {
            int eq = field.indexOf('=');
            m.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return m;
    }

    @Test
    void printsOneLinePerBatchSizeAndSeedWithTheRunsFigures() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = TrainHarness.run(new String[] {"--data", "blobs(n=200, classes=3, dims=2)", "--model", "mlp(hidden=[8])",
                "--epochs", "2", "--batch-size", "16,50", "--seeds", "3,4", "--out", dir.toString()},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), lines.toString());
        Map<String, String> first = fields(lines.get(0));
        assertEquals(List.of("model", "optimizer", "data", "batch_size", "seed", "epochs", "epoch_s", "epoch_s_median",
                "samples_per_s", "test_acc", "test_loss", "peak_rss_kb"), List.copyOf(first.keySet()));
        assertEquals("mlp(hidden=[8])", first.get("model"));
        assertEquals("adam(lr=0.001)", first.get("optimizer"), "train's default optimizer");
        assertEquals("blobs(n=200,classes=3,dims=2)", first.get("data"));
        assertEquals(List.of("16 3", "16 4", "50 3", "50 4"), lines.stream()
                .map(l -> fields(l).get("batch_size") + " " + fields(l).get("seed")).toList());
        String[] seconds = first.get("epoch_s").split(",");
        assertEquals(2, seconds.length);
        double median = (Double.parseDouble(seconds[0]) + Double.parseDouble(seconds[1])) / 2;
        assertEquals(median, Double.parseDouble(first.get("epoch_s_median")), 1e-12);
        // the figures are the run folder's: history.csv's last row and its seconds
        List<String> history = Files.readAllLines(dir.resolve("b16-s3").resolve("history.csv"));
        String[] last = history.get(2).split(",");
        assertEquals(last[4], first.get("test_acc"));
        assertEquals(last[3], first.get("test_loss"));
        assertEquals(last[6], seconds[1]);
        assertTrue(Long.parseLong(first.get("peak_rss_kb")) > 1000, "VmHWM of this JVM");
    }

    @Test
    void badOptionsAndSpecsAreUsageErrors() throws IOException {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, TrainHarness.run(new String[] {"--epochs"}, out));
        assertEquals(2, TrainHarness.run(new String[] {"--batch-size", "32,x"}, out));
        assertEquals(2, TrainHarness.run(new String[] {"--speed", "1"}, out));
        assertEquals(2, TrainHarness.run(new String[] {"--data", "blobs(n=50)", "--optimizer", "adam(lr=-1)"}, out));
        assertEquals(2, TrainHarness.run(new String[] {"--data", "blobs(n=50)", "--epochs", "0"}, out));
    }

    @Test
    void peakRssIsReadFromProcWhereThereIsOne() {
        long kb = TrainHarness.peakRssKb();
        assertEquals(Files.isRegularFile(Path.of("/proc/self/status")), kb > 0, "VmHWM " + kb);
    }
}
