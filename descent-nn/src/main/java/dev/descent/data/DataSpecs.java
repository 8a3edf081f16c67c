package dev.descent.data;

import dev.descent.optim.spec.Names;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecException;
import dev.descent.optim.spec.SpecParser;
import dev.descent.optim.spec.SpecValues;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Data sets named in the project's spec grammar, as a {@code --data} option gives them: each spec gives a
 * {@link Split}.
 *
 * <ul>
 *   <li>{@code mnist}, {@code fashion-mnist}, {@code kmnist} (or {@code fashion_mnist}): the MNIST family,
 *       found as {@link MnistFamily#load(DataDirs)} says;</li>
 *   <li>{@code blobs(n=1000, classes=3, dims=2, std=1.0, test=0.2, seed=0)}: {@link Synthetic#blobs};</li>
 *   <li>{@code spirals(n=1000, noise=0.05, test=0.2, seed=0)}: {@link Synthetic#twoSpirals};</li>
 *   <li>{@code linear(n=1000, dims=10, noise=0.1, test=0.2, seed=0)}: {@link Synthetic#linear};</li>
 *   <li>{@code csv("train.csv", target="y", task=classification, test=0.2, seed=0, standardize=true)}, or with
 *       {@code test_file="test.csv"} instead of a random {@code test} fraction: {@link CsvDataset}, standardised
 *       with the training part's statistics unless {@code standardize=false}.</li>
 * </ul>
 * The values shown are the defaults; {@code test} is the fraction of examples held out for testing, drawn
 * with {@code seed}. Unknown names and keys are errors listing the valid ones.
 */
public final class DataSpecs {
    private static final List<String> NAMES = List.of("mnist", "fashion-mnist", "kmnist", "blobs", "spirals", "linear", "csv");

    private DataSpecs() {
    }

    /** The names of all data sets a spec can give. */
    public static List<String> names() {
        return NAMES;
    }

    /** The data set {@code text} names, MNIST-family sets looked up in this process's folders. */
    public static Split load(String text) {
        return load(text, DataDirs.fromEnvironment());
    }

    /**
     * The data set {@code text} names, MNIST-family sets looked up in {@code dirs}.
     *
     * @throws IllegalArgumentException for an unknown name or key, a bad value, or a set that cannot be read
     */
    public static Split load(String text, DataDirs dirs) {
        String plain = text == null ? "" : text.strip();
        for (MnistFamily set : MnistFamily.values()) {
            if (set.id().equalsIgnoreCase(plain) || set.id().replace('-', '_').equalsIgnoreCase(plain)) {
                return set.load(dirs);
            }
        }
        Spec spec = SpecParser.parse(plain);
        Args args = new Args(spec);
        return switch (spec.key()) {
            case "blobs" -> {
                args.allow("n", "classes", "dims", "std", "test", "seed");
                Dataset all = Synthetic.blobs(args.integer("n", 1000), args.integer("classes", 3), args.integer("dims", 2),
                        args.real("std", 1.0), args.seed());
                yield all.split(args.real("test", 0.2), args.seed());
            }
            case "spirals" -> {
                args.allow("n", "noise", "test", "seed");
                yield Synthetic.twoSpirals(args.integer("n", 1000), args.real("noise", 0.05), args.seed())
                        .split(args.real("test", 0.2), args.seed());
            }
            case "linear" -> {
                args.allow("n", "dims", "noise", "test", "seed");
                yield Synthetic.linear(args.integer("n", 1000), args.integer("dims", 10), args.real("noise", 0.1), args.seed())
                        .data().split(args.real("test", 0.2), args.seed());
            }
            case "csv" -> csv(args);
            default -> throw new SpecException(Names.unknown("data set", spec.name(), NAMES));
        };
    }

    private static Split csv(Args args) {
        args.allow("path", "target", "task", "test", "test_file", "seed", "standardize");
        Object pathValue = args.spec.positional().isEmpty() ? args.spec.named().get("path") : args.spec.positional().get(0);
        if (pathValue == null || args.spec.positional().size() > 1) {
            throw new SpecException("csv: give the file as the one positional argument or path=, e.g. csv(\"iris.csv\", target=\"species\")");
        }
        Path path = Path.of(SpecValues.toStr("csv", "path", pathValue));
        Object targetValue = args.spec.named().get("target");
        if (targetValue == null) {
            throw new SpecException("csv: target= is required: the name of the column to predict, e.g. csv(\"iris.csv\", target=\"species\")");
        }
        String target = SpecValues.toStr("csv", "target", targetValue);
        String taskName = args.spec.named().containsKey("task")
                ? SpecValues.toStr("csv", "task", args.spec.named().get("task")).toLowerCase(Locale.ROOT) : "classification";
        CsvDataset.Task task = switch (taskName) {
            case "classification" -> CsvDataset.Task.CLASSIFICATION;
            case "regression" -> CsvDataset.Task.REGRESSION;
            default -> throw new SpecException("csv: task=" + taskName + " must be classification or regression");
        };
        Split split;
        if (args.spec.named().containsKey("test_file")) {
            if (args.spec.named().containsKey("test")) {
                throw new SpecException("csv: give test= (a fraction to hold out) or test_file=, not both");
            }
            Path testFile = Path.of(SpecValues.toStr("csv", "test_file", args.spec.named().get("test_file")));
            split = CsvDataset.read(path, testFile, target, task);
        } else {
            split = CsvDataset.read(path, target, task).split(args.real("test", 0.2), args.seed());
        }
        boolean standardize = !args.spec.named().containsKey("standardize")
                || SpecValues.toBoolean("csv", "standardize", args.spec.named().get("standardize"));
        return standardize ? split.standardized() : split;
    }

    /** Typed reads of a spec's named arguments with defaults. */
    private static final class Args {
        private final Spec spec;

        Args(Spec spec) {
            this.spec = spec;
        }

        void allow(String... keys) {
            Set<String> valid = Set.of(keys);
            for (String key : spec.named().keySet()) {
                if (!valid.contains(key)) {
                    throw new SpecException(Names.unknown("key for " + spec.key(), key, List.of(keys)));
                }
            }
            if (!spec.key().equals("csv") && !spec.positional().isEmpty()) {
                throw new SpecException(spec.key() + " takes only named arguments (" + String.join(", ", keys) + "), e.g. "
                        + spec.key() + "(" + keys[0] + "=...)");
            }
        }

        int integer(String key, int fallback) {
            Object v = spec.named().get(key);
            if (v == null) {
                return fallback;
            }
            long value = SpecValues.toLong(spec.key(), key, v);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new SpecException(spec.key() + ": " + key + "=" + value + " is out of range");
            }
            return (int) value;
        }

        double real(String key, double fallback) {
            Object v = spec.named().get(key);
            return v == null ? fallback : SpecValues.toDouble(spec.key(), key, v);
        }

        long seed() {
            Object v = spec.named().get("seed");
            return v == null ? 0 : SpecValues.toLong(spec.key(), "seed", v);
        }
    }
}
