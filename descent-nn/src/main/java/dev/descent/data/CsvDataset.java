package dev.descent.data;

import dev.descent.optim.spec.Names;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a data set from a CSV file: a header row of column names, then one example per line, every column
 * but the target a numeric feature.
 *
 * <p>Fields are separated by commas and may be quoted with {@code "..."} (a quote inside written twice);
 * blank lines are skipped. Features must be finite decimal numbers ({@code 1}, {@code -0.5}, {@code 2e-3});
 * anything else is an error naming the file, the line and the column. For {@link Task#CLASSIFICATION} the
 * target's distinct values are the classes, sorted (numerically when all of them are numbers, else as text),
 * class i being the i-th; for {@link Task#REGRESSION} the target must be a number too. Standardise with
 * {@link Split#standardized()}, which uses the training part's statistics only.
 */
public final class CsvDataset {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    /** What the target column holds. */
    public enum Task {
        /** Class names, mapped to class indices. */
        CLASSIFICATION,
        /** Numbers to predict. */
        REGRESSION
    }

    private CsvDataset() {
    }

    /** Reads {@code file}, predicting the column named {@code target} (exact or case-insensitive match). */
    public static Dataset read(Path file, String target, Task task) {
        return read(file, target, task, null);
    }

    /**
     * Reads a training and a test file with the same columns; for classification the test file must use
     * only the training file's classes, and gets the same class indices.
     */
    public static Split read(Path trainFile, Path testFile, String target, Task task) {
        Dataset train = read(trainFile, target, task, null);
        return new Split(train, read(testFile, target, task, task == Task.CLASSIFICATION ? train.classNames() : null));
    }

    /**
     * Reads {@code file} as {@link #read(Path, String, Task)}; for classification with {@code classNames}
     * given, those are the classes (in that order) and a target outside them is an error.
     */
    public static Dataset read(Path file, String target, Task task, List<String> classNames) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e, e);
        }
        int headerLine = firstNonBlank(lines, 0);
        if (headerLine < 0) {
            throw new IllegalArgumentException(file + ": empty; expected a header row of column names");
        }
        String firstLine = lines.get(headerLine);
        if (firstLine.startsWith("\uFEFF")) {
            firstLine = firstLine.substring(1);
        }
        List<String> header = fields(firstLine, file, headerLine + 1);
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).isEmpty()) {
                throw new IllegalArgumentException(file + " line " + (headerLine + 1) + ": column " + (c + 1) + " has no name");
            }
            if (!seen.add(header.get(c))) {
                throw new IllegalArgumentException(file + " line " + (headerLine + 1) + ": column name '" + header.get(c) + "' appears twice");
            }
        }
        int targetColumn = targetColumn(file, header, target);
        if (header.size() < 2) {
            throw new IllegalArgumentException(file + ": the only column is the target '" + target + "'; there are no features");
        }
        int d = header.size() - 1;

        List<float[]> rows = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = headerLine + 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            int lineNumber = i + 1;
            List<String> fields = fields(lines.get(i), file, lineNumber);
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException(file + " line " + lineNumber + ": " + fields.size() + " fields but the header has "
                        + header.size() + " columns");
            }
            float[] row = new float[d];
            int j = 0;
            for (int c = 0; c < fields.size(); c++) {
                if (c == targetColumn) {
                    continue;
                }
                row[j++] = number(fields.get(c), file, lineNumber, c, header.get(c));
            }
            rows.add(row);
            answers.add(fields.get(targetColumn));
            lineNumbers.add(lineNumber);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": has a header but no examples");
        }
        float[] features = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, features, i * d, d);
        }
        String name = file.getFileName().toString();
        if (task == Task.REGRESSION) {
            float[] targets = new float[answers.size()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = number(answers.get(i), file, lineNumbers.get(i), targetColumn, header.get(targetColumn));
            }
            return Dataset.regression(name, new int[] {d}, features, targets);
        }
        List<String> classes = classNames != null ? List.copyOf(classNames) : classes(answers);
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            index.put(classes.get(c), c);
        }
        int[] labels = new int[answers.size()];
        for (int i = 0; i < labels.length; i++) {
            Integer label = index.get(answers.get(i));
            if (label == null) {
                throw new IllegalArgumentException(file + " line " + lineNumbers.get(i) + ", column " + (targetColumn + 1) + " '"
                        + header.get(targetColumn) + "': class '" + answers.get(i) + "' is not one of the training classes " + classes);
            }
            labels[i] = label;
        }
        return Dataset.classification(name, new int[] {d}, features, labels, classes);
    }

    private static int firstNonBlank(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        return -1;
    }

    private static int targetColumn(Path file, List<String> header, String target) {
        int exact = header.indexOf(target);
        if (exact >= 0) {
            return exact;
        }
        int found = -1;
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).equalsIgnoreCase(target)) {
                if (found >= 0) {
                    throw new IllegalArgumentException(file + ": target column '" + target + "' matches both '" + header.get(found)
                            + "' and '" + header.get(c) + "' when case is ignored; write it exactly");
                }
                found = c;
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException(file + ": " + Names.unknown("target column", target, header));
        }
        return found;
    }

    /** The sorted distinct values: numerically when all are numbers, else as text. */
    private static List<String> classes(List<String> answers) {
        Set<String> distinct = new HashSet<>(answers);
        boolean numeric = distinct.stream().allMatch(s -> DECIMAL.matcher(s).matches());
        Comparator<String> order = numeric
                ? Comparator.<String>comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
        TreeSet<String> sorted = new TreeSet<>(order);
        sorted.addAll(distinct);
        return List.copyOf(sorted);
    }

    private static float number(String text, Path file, int line, int column, String columnName) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d, column %d '%s': %s is not a number",
                    file, line, column + 1, columnName, text.isEmpty() ? "the empty value" : "'" + text + "'"));
        }
        float value = (float) Double.parseDouble(text);
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s line %d, column %d '%s': '%s' is beyond the range of a float",
                    file, line, column + 1, columnName, text));
        }
        return value;
    }

    /** The fields of one line, each stripped of surrounding spaces; quoted fields keep their inner text. */
    static List<String> fields(String line, Path file, int lineNumber) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            if (i < line.length() && line.charAt(i) == '"') {
                int start = i;
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException(file + " line " + lineNumber + ": the quote opened at character "
                                + (start + 1) + " is not closed");
                    }
                    char ch = line.charAt(i);
                    if (ch == '"') {
                        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.append(ch);
                    i++;
                }
                while (i < line.length() && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException(file + " line " + lineNumber + ": unexpected '" + line.charAt(i)
                            + "' after the quoted field that ends at character " + i);
                }
                fields.add(field.toString());
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? line.length() : comma;
                fields.add(line.substring(i, end).strip());
                i = end;
            }
            field.setLength(0);
            if (i >= line.length()) {
                return fields;
            }
            i++; // the comma
            if (i == line.length()) {
                fields.add("");
                return fields;
            }
        }
    }
}
