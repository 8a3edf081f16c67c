package dev.descent.lab;

import dev.descent.lab.plot.ImageFormat;
import dev.descent.optim.GroupRules;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.optim.problem.Problem;
import dev.descent.optim.schedule.Schedule;
import dev.descent.optim.schedule.Schedules;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecException;
import dev.descent.optim.spec.SpecParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the text of command-line options into values, rejecting bad input with an
 * {@link IllegalArgumentException} whose one-line message names the option, the value and what was
 * expected (the command turns it into exit code 2).
 */
final class OptionValues {
    /** A plain decimal number: no hex, no suffixes, no NaN or Infinity. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private OptionValues() {
    }

    /** An optimizer spec given to {@code option}. */
    static OptimizerSpec optimizer(String option, String text) {
        try {
            return Optimizers.parse(text);
        } catch (SpecException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /** Parameter-group rules {@code pattern: key=value, ...} given to a repeatable {@code option}, in order. */
    static GroupRules groupRules(String option, List<String> texts) {
        try {
            return GroupRules.parse(texts);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /** A schedule spec given to {@code option}. */
    static Schedule schedule(String option, String text) {
        try {
            return Schedules.parse(text);
        } catch (SpecException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /**
     * Exactly {@code count} comma-separated finite numbers given to {@code option} ({@code why} says what they
     * are for when the count is wrong); an empty text is no numbers.
     */
    static double[] reals(String option, String text, int count, String why) {
        String[] parts = text.isBlank() ? new String[0] : text.split(",", -1);
        if (parts.length != count) {
            throw new IllegalArgumentException(option + ": got " + parts.length + (parts.length == 1 ? " value" : " values")
                    + " but " + why);
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            String part = parts[i].strip();
            if (!DECIMAL.matcher(part).matches()) {
                throw new IllegalArgumentException(option + ": value " + (i + 1) + " '" + parts[i] + "' is not a number");
            }
            values[i] = Double.parseDouble(part);
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(option + ": value " + (i + 1) + " '" + part + "' is beyond the range of a double");
            }
        }
        return values;
    }

    /** A list of optimizer specs separated by {@code ;}, each with the text the user wrote for it. */
    static List<Named<OptimizerSpec>> optimizerList(String option, String text) {
        List<Spec> parsed;
        try {
            parsed = SpecParser.parseList(text, ';');
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(option + ": no optimizer given; write specs separated by ';', e.g. "
                    + option + " \"sgd(lr=0.001); adam(lr=0.05)\"");
        }
        List<Named<OptimizerSpec>> specs = new ArrayList<>();
        for (Spec spec : parsed) {
            try {
                specs.add(new Named<>(spec.source().strip(), Optimizers.of(spec)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " \"" + spec.source().strip() + "\": " + e.getMessage(), e);
            }
        }
        return specs;
    }

    /** A comma-separated list of problem names. */
    static List<Problem> problems(String option, String text) {
        List<Problem> problems = new ArrayList<>();
        for (String name : text.split(",", -1)) {
            if (name.isBlank()) {
                throw new IllegalArgumentException(option + " \"" + text + "\": empty problem name; write names separated by ',', e.g. "
                        + option + " rosenbrock,beale");
            }
            try {
                problems.add(Problem.byName(name.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
        return problems;
    }

    /** A starting point for {@code problem}: exactly {@code problem.dimension()} comma-separated finite numbers. */
    static float[] point(String option, String text, Problem problem) {
        String[] parts = text.split(",", -1);
        int n = problem.dimension();
        String expected = problem.id() + " takes " + n + " numbers, e.g. " + option + " " + numbers(problem.defaultInit());
        if (parts.length != n) {
            throw new IllegalArgumentException(option + " " + text + ": got " + parts.length
                    + (parts.length == 1 ? " number" : " numbers") + " but " + expected);
        }
        float[] point = new float[n];
        for (int i = 0; i < n; i++) {
            String part = parts[i].strip();
            if (!DECIMAL.matcher(part).matches()) {
                throw new IllegalArgumentException(option + " " + text + ": '" + parts[i] + "' is not a number; " + expected);
            }
            point[i] = Float.parseFloat(part);
            if (!Float.isFinite(point[i])) {
                throw new IllegalArgumentException(option + " " + text + ": '" + part + "' is beyond the range of a float");
            }
        }
        return point;
    }

    /** A step count, at least zero. */
    static int steps(String option, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException(option + " " + steps + ": the number of steps must be 0 or more");
        }
        return steps;
    }

    /** An output file: anything but an existing folder. */
    static Path outputFile(String option, Path path) {
        if (path != null && Files.isDirectory(path)) {
            throw new IllegalArgumentException(option + " " + path + ": is a folder; give a file name such as trace.csv");
        }
        return path;
    }

    /**
     * An image file for {@code --plot}: a name ending in {@code .png} or {@code .svg} in a folder that exists and can
     * be written, or that can be created (its nearest existing ancestor is a writable folder).
     */
    static ImageFormat plotFile(String option, Path path) {
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(option + " " + path + ": is a folder; give a file name such as plot.png or plot.svg");
        }
        ImageFormat format;
        try {
            format = ImageFormat.forFile(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + e.getMessage(), e);
        }
        Path dir = path.toAbsolutePath().normalize().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + path + ": cannot be written, " + dir + " is a file, not a folder");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(option + " " + path + ": cannot be written, the folder " + dir + " is not writable");
        }
        return format;
    }

    /** An output folder: anything but an existing file that is not a folder. */
    static Path outputFolder(String option, Path path) {
        if (path != null && Files.exists(path) && !Files.isDirectory(path)) {
            throw new IllegalArgumentException(option + " " + path + ": is a file; give a folder for the results");
        }
        return path;
    }

    /** Numbers as a user would type them: {@code -1.5,2}. */
    static String numbers(float[] xs) {
        StringBuilder b = new StringBuilder();
        for (float x : xs) {
            String s = Float.toString(x);
            b.append(b.length() == 0 ? "" : ",").append(s.endsWith(".0") ? s.substring(0, s.length() - 2) : s);
        }
        return b.toString();
    }

    /**
     * A value with the text the user wrote for it.
     *
     * @param text  the text as written
     * @param value the parsed value
     */
    record Named<T>(String text, T value) {
    }
}
