package dev.descent.bench;

import dev.descent.data.DataSpecs;
import dev.descent.data.Split;
import dev.descent.train.EpochResult;
import dev.descent.train.TrainConfig;
import dev.descent.train.TrainResult;
import dev.descent.train.Trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The end-to-end harness that trains a model the way {@code descent train} does (same {@link TrainConfig}
 * defaults, same {@link DataSpecs} loading, same {@link Trainer}) for several batch sizes and seeds in one
 * JVM, and prints one line per run on stdout:
 *
 * <pre>
 * model=mlp(hidden=[128],dropout=0.2) optimizer=adam(lr=0.001) data=fashion-mnist batch_size=32 seed=0 epochs=5
 *   epoch_s=0.45,0.44,... epoch_s_median=0.44 samples_per_s=136000.0 test_acc=0.871 test_loss=0.36 peak_rss_kb=143360
 * </pre>
 *
 * (one line, specs without spaces). {@code epoch_s} is each epoch's training pass alone, as
 * {@code history.csv} records it; {@code samples_per_s} is the training set's size over the median;
 * {@code test_acc} and {@code test_loss} are the last epoch's; {@code peak_rss_kb} is the process's peak
 * resident memory so far ({@code VmHWM} of {@code /proc/self/status}, left out where there is none), so
 * with several runs in one JVM it covers all runs up to that line. The data set is loaded once; each run
 * writes its run folder under {@code --out} (default: a temporary folder, deleted at the end).
 *
 * <p>Run, after {@code mvn -B -pl descent-bench -am package -DskipTests}, with the launcher's JVM options:
 * {@code java @jvm.options -cp descent-bench/target/benchmarks.jar dev.descent.bench.TrainHarness
 * [--data NAME] [--model SPEC] [--optimizer SPEC] [--batch-size 32,128] [--epochs 5] [--seeds 0,1,2] [--out DIR]}.
 * {@code tools/peers/compare_mlp.py --runner harness} runs it beside PyTorch.
 */
public final class TrainHarness {

    private TrainHarness() {
    }

    public static void main(String[] args) throws IOException {
        int code = run(args, System.out);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Parses the options, trains every run and prints its line on {@code out}; returns the exit code (2: bad usage, 1: a run failed). */
    static int run(String[] args, PrintStream out) throws IOException {
        String data = "fashion-mnist";
        TrainConfig defaults = TrainConfig.builder().build();
        String model = defaults.model();
        String optimizer = defaults.optimizer();
        int epochs = defaults.epochs();
        int[] batchSizes = {32, 128};
        long[] seeds = {defaults.seed()};
        Path folder = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                return usage("missing value for " + arg);
            }
            String value = args[++i];
            try {
                switch (arg) {
                    case "--data" -> data = value;
                    case "--model" -> model = value;
                    case "--optimizer" -> optimizer = value;
                    case "--epochs" -> epochs = Integer.parseInt(value.strip());
                    case "--batch-size" -> batchSizes = Stream.of(value.split(",")).mapToInt(s -> Integer.parseInt(s.strip())).toArray();
                    case "--seeds" -> seeds = Stream.of(value.split(",")).mapToLong(s -> Long.parseLong(s.strip())).toArray();
                    case "--out" -> folder = Path.of(value);
                    default -> {
                        return usage("unknown option " + arg);
                    }
                }
            } catch (NumberFormatException e) {
                return usage("bad number for " + arg + ": " + value);
            }
        }
        List<TrainConfig> configs = new ArrayList<>();
        Split split;
        try {
            for (int batchSize : batchSizes) {
                for (long seed : seeds) {
                    configs.add(TrainConfig.builder().data(data).model(model).optimizer(optimizer).epochs(epochs)
                            .batchSize(batchSize).seed(seed).build());
                }
            }
            split = DataSpecs.load(data);
            new Trainer(configs.get(0), split); // a bad spec or a model that does not fit the data fails here, before any run
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        Path root = folder != null ? Files.createDirectories(folder) : Files.createTempDirectory("descent-harness-");
        System.err.printf(Locale.ROOT, "harness: %s, %s on %s (%d training, %d test examples); run folders in %s%n",
                model, optimizer, data, split.train().size(), split.test().size(), root);
        try {
            for (TrainConfig config : configs) {
                TrainResult result = new Trainer(config, split).run(root.resolve("b" + config.batchSize() + "-s" + config.seed()));
                if (!result.ok()) {
                    System.err.println("harness: batch " + config.batchSize() + ", seed " + config.seed() + " failed: " + result.reason());
                    return 1;
                }
                out.println(line(config, result, peakRssKb()));
                out.flush();
            }
        } finally {
            if (folder == null) {
                deleteTree(root);
            }
        }
        return 0;
    }

    /** The result line of one run. */
    static String line(TrainConfig config, TrainResult result, long peakRssKb) {
        String seconds = result.history().stream().map(r -> Double.toString(r.seconds())).collect(Collectors.joining(","));
        EpochResult last = result.history().get(result.history().size() - 1);
        return "model=" + config.model().replaceAll("\\s", "") + " optimizer=" + config.optimizer().replaceAll("\\s", "")
                + " data=" + config.data().replaceAll("\\s", "") + " batch_size=" + config.batchSize() + " seed=" + config.seed()
                + " epochs=" + result.history().size() + " epoch_s=" + seconds + " epoch_s_median=" + result.medianEpochSeconds()
                + " samples_per_s=" + result.samplesPerSecond() + " test_acc=" + last.testAcc() + " test_loss=" + last.testLoss()
                + (peakRssKb >= 0 ? " peak_rss_kb=" + peakRssKb : "");
    }

    /** This process's peak resident set size in kB ({@code VmHWM}), or -1 where {@code /proc/self/status} has none. */
    static long peakRssKb() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.substring("VmHWM:".length()).replace("kB", "").strip()))
                    .findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int usage(String message) {
        System.err.println("harness: " + message + "\nusage: TrainHarness [--data NAME] [--model SPEC] [--optimizer SPEC] "
                + "[--batch-size 32,128] [--epochs N] [--seeds 0,1,2] [--out DIR]");
        return 2;
    }
}
