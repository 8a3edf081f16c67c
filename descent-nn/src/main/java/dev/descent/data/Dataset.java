package dev.descent.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An in-memory data set: {@code n} examples of {@code d} float features stored row-major in one
 * {@code float[n * d]}, with either an integer class label per example (classification, labels in
 * {@code [0, classCount)}) or a float target per example (regression).
 *
 * <p>A set of 8-bit images ({@link #pixelClassification}) keeps its pixels as the {@code byte[n * d]} they
 * were read as, a quarter of the memory of floats (47 MB instead of 188 MB for Fashion-MNIST's training
 * images), and turns them into features {@code p / 255f} ({@link Pixels}) only as they are copied out; the
 * features are the same bits either way. Training loops therefore gather features with
 * {@link #copyFeatures(int[], int, int, float[], int)} or {@link #copyFeatures(int, int, float[], int)}
 * rather than {@link #features()}, which converts the whole set for such a set.
 *
 * <p>{@link #exampleShape()} says how one example's {@code d} features are laid out, e.g. {@code [1, 28, 28]}
 * for a grey 28x28 image or {@code [d]} for a row of a table; the features are the same flat row either way.
 * A data set is immutable in spirit: the accessors return the arrays themselves for speed, and callers must
 * not write to them. Operations such as {@link #subset(int[])} or {@link Standardizer#apply(Dataset)} return
 * new data sets.
 */
public final class Dataset {
    private final String name;
    private final int size;
    private final int featureCount;
    private final int[] exampleShape;
    /** The features, or null when {@link #pixels} holds them. */
    private final float[] features;
    /** The features as unsigned bytes {@code p}, each standing for {@code p / 255f}; or null. */
    private final byte[] pixels;
    private final int[] labels;
    private final int classCount;
    private final List<String> classNames;
    private final float[] targets;

    private Dataset(String name, int[] exampleShape, float[] features, byte[] pixels, int[] labels, int classCount,
            List<String> classNames, float[] targets) {
        this.name = Objects.requireNonNull(name, "name");
        this.exampleShape = exampleShape.clone();
        this.featureCount = checkShape(name, this.exampleShape);
        if ((features == null) == (pixels == null)) {
            throw new IllegalArgumentException(name + ": give the features either as floats or as pixels");
        }
        this.features = features;
        this.pixels = pixels;
        int values = features != null ? features.length : pixels.length;
        if (values % featureCount != 0) {
            throw new IllegalArgumentException(name + ": " + values + (features != null ? " feature values" : " pixels")
                    + " are not a whole number of examples of " + featureCount + " features (shape " + Arrays.toString(exampleShape) + ")");
        }
        this.size = values / featureCount;
        this.labels = labels;
        this.classCount = classCount;
        this.classNames = classNames;
        this.targets = targets;
        int answers = labels != null ? labels.length : targets.length;
        if (answers != size) {
            throw new IllegalArgumentException(name + ": " + size + " examples but " + answers
                    + (labels != null ? " labels" : " targets"));
        }
        if (labels != null) {
            if (classCount < 1) {
                throw new IllegalArgumentException(name + ": classCount " + classCount + ": must be 1 or more");
            }
            if (classNames.size() != classCount) {
                throw new IllegalArgumentException(name + ": " + classNames.size() + " class names for " + classCount + " classes");
            }
            for (int i = 0; i < size; i++) {
                if (labels[i] < 0 || labels[i] >= classCount) {
                    throw new IllegalArgumentException(name + ": label " + labels[i] + " of example " + i
                            + " is outside the class range [0, " + classCount + ")");
                }
            }
        }
    }

    private static int checkShape(String name, int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException(name + ": an example needs a shape of at least one dimension");
        }
        long count = 1;
        for (int s : shape) {
            if (s < 1) {
                throw new IllegalArgumentException(name + ": example shape " + Arrays.toString(shape) + ": every size must be 1 or more");
            }
            count *= s;
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + ": example shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return (int) count;
    }

    /**
     * A classification set with classes named {@code "0"}, {@code "1"}, ...
     *
     * @param name         what to call the set in messages, e.g. {@code fashion-mnist/train}
     * @param exampleShape the shape of one example; its product is the feature count d
     * @param features     n x d features, row-major (kept, not copied)
     * @param labels       n labels in {@code [0, classCount)} (kept, not copied)
     * @param classCount   the number of classes
     * @throws IllegalArgumentException when the sizes disagree or a label is outside the class range (naming its index)
     */
    public static Dataset classification(String name, int[] exampleShape, float[] features, int[] labels, int classCount) {
        return classification(name, exampleShape, features, labels, defaultClassNames(classCount));
    }

    /**
     * A classification set whose classes have names; the class count is the number of names.
     *
     * @see #classification(String, int[], float[], int[], int)
     */
    public static Dataset classification(String name, int[] exampleShape, float[] features, int[] labels, List<String> classNames) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(features, "features");
        return new Dataset(name, exampleShape, features, null, labels, classNames.size(), List.copyOf(classNames), null);
    }

    /**
     * A classification set of 8-bit grey images, kept as bytes: pixel {@code p} (read as unsigned) is the
     * feature {@code p / 255f} ({@link Pixels}), computed whenever features are copied out.
     *
     * @param pixels n x d unsigned bytes, row-major (kept, not copied)
     * @see #classification(String, int[], float[], int[], int)
     */
    public static Dataset pixelClassification(String name, int[] exampleShape, byte[] pixels, int[] labels, List<String> classNames) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(pixels, "pixels");
        return new Dataset(name, exampleShape, null, pixels, labels, classNames.size(), List.copyOf(classNames), null);
    }

    /**
     * A regression set with one float target per example.
     *
     * @param name         what to call the set in messages
     * @param exampleShape the shape of one example; its product is the feature count d
     * @param features     n x d features, row-major (kept, not copied)
     * @param targets      n targets (kept, not copied)
     */
    public static Dataset regression(String name, int[] exampleShape, float[] features, float[] targets) {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(features, "features");
        return new Dataset(name, exampleShape, features, null, null, 0, List.of(), targets);
    }

    private static List<String> defaultClassNames(int classCount) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount " + classCount + ": must be 1 or more");
        }
        String[] names = new String[classCount];
        for (int c = 0; c < classCount; c++) {
            names[c] = Integer.toString(c);
        }
        return List.of(names);
    }

    /** What the set is called in messages, e.g. {@code fashion-mnist/train}. */
    public String name() {
        return name;
    }

    /** The number of examples n. */
    public int size() {
        return size;
    }

    /** The number of features per example d (the product of {@link #exampleShape()}). */
    public int featureCount() {
        return featureCount;
    }

    /** The shape of one example, e.g. {@code [1, 28, 28]} or {@code [d]}; a copy. */
    public int[] exampleShape() {
        return exampleShape.clone();
    }

    /**
     * All features, n x d row-major: the array itself, not to be written to; for a set kept as pixels
     * ({@link #keepsPixels()}), a new array converted from them on every call.
     */
    public float[] features() {
        return features != null ? features : Pixels.toUnitRange(pixels);
    }

    /** True for a set that keeps its features as 8-bit pixels ({@link #pixelClassification}). */
    public boolean keepsPixels() {
        return pixels != null;
    }

    /** True for a classification set (labels), false for a regression set (targets). */
    public boolean isClassification() {
        return labels != null;
    }

    /**
     * The class labels, one per example; the array itself, not to be written to.
     *
     * @throws IllegalStateException for a regression set
     */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException(name + " is a regression set: it has targets, not labels");
        }
        return labels;
    }

    /** The number of classes, 0 for a regression set. */
    public int classCount() {
        return classCount;
    }

    /** The names of the classes by index (empty for a regression set). */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The regression targets, one per example; the array itself, not to be written to.
     *
     * @throws IllegalStateException for a classification set
     */
    public float[] targets() {
        if (targets == null) {
            throw new IllegalStateException(name + " is a classification set: it has labels, not targets");
        }
        return targets;
    }

    /** How many examples each class has, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[classCount];
        for (int label : labels()) {
            counts[label]++;
        }
        return counts;
    }

    /** The features of example {@code i}, copied. */
    public float[] example(int i) {
        Objects.checkIndex(i, size);
        float[] out = new float[featureCount];
        copyRow(i, out, 0);
        return out;
    }

    private void copyRow(int i, float[] dst, int dstOffset) {
        if (features != null) {
            System.arraycopy(features, i * featureCount, dst, dstOffset, featureCount);
        } else {
            Pixels.toUnitRange(pixels, i * featureCount, dst, dstOffset, featureCount);
        }
    }

    /**
     * Copies the features of examples {@code indices[from .. from + count)} into {@code dst} from
     * {@code dstOffset}, one row after another.
     */
    public void copyFeatures(int[] indices, int from, int count, float[] dst, int dstOffset) {
        Objects.checkFromIndexSize(from, count, indices.length);
        Objects.checkFromIndexSize(dstOffset, count * featureCount, dst.length);
        for (int b = 0; b < count; b++) {
            int i = indices[from + b];
            Objects.checkIndex(i, size);
            copyRow(i, dst, dstOffset + b * featureCount);
        }
    }

    /** Copies the features of the examples {@code from .. from + count} (in the set's order) into {@code dst} from {@code dstOffset}. */
    public void copyFeatures(int from, int count, float[] dst, int dstOffset) {
        Objects.checkFromIndexSize(from, count, size);
        Objects.checkFromIndexSize(dstOffset, count * featureCount, dst.length);
        if (features != null) {
            System.arraycopy(features, from * featureCount, dst, dstOffset, count * featureCount);
        } else {
            Pixels.toUnitRange(pixels, from * featureCount, dst, dstOffset, count * featureCount);
        }
    }

    /** Copies the labels of examples {@code indices[from .. from + count)} into {@code dst} from {@code dstOffset}. */
    public void copyLabels(int[] indices, int from, int count, int[] dst, int dstOffset) {
        int[] all = labels();
        Objects.checkFromIndexSize(from, count, indices.length);
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        for (int b = 0; b < count; b++) {
            dst[dstOffset + b] = all[indices[from + b]];
        }
    }

    /** Copies the targets of examples {@code indices[from .. from + count)} into {@code dst} from {@code dstOffset}. */
    public void copyTargets(int[] indices, int from, int count, float[] dst, int dstOffset) {
        float[] all = targets();
        Objects.checkFromIndexSize(from, count, indices.length);
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        for (int b = 0; b < count; b++) {
            dst[dstOffset + b] = all[indices[from + b]];
        }
    }

    /** A new set of the given examples, in the given order (copied, as pixels for a set that keeps them), with the same classes. */
    public Dataset subset(int[] indices) {
        return subset(name, indices);
    }

    /** {@link #subset(int[])} under another name. */
    public Dataset subset(String newName, int[] indices) {
        float[] f = null;
        byte[] p = null;
        if (features != null) {
            f = new float[indices.length * featureCount];
            copyFeatures(indices, 0, indices.length, f, 0);
        } else {
            p = new byte[indices.length * featureCount];
            for (int b = 0; b < indices.length; b++) {
                System.arraycopy(pixels, Objects.checkIndex(indices[b], size) * featureCount, p, b * featureCount, featureCount);
            }
        }
        if (labels != null) {
            int[] l = new int[indices.length];
            copyLabels(indices, 0, indices.length, l, 0);
            return new Dataset(newName, exampleShape, f, p, l, classCount, classNames, null);
        }
        float[] t = new float[indices.length];
        copyTargets(indices, 0, indices.length, t, 0);
        return new Dataset(newName, exampleShape, f, p, null, 0, classNames, t);
    }

    /** The same examples and answers with other features of the same shape, as floats (kept, not copied). */
    public Dataset withFeatures(float[] newFeatures) {
        if (newFeatures.length != size * featureCount) {
            throw new IllegalArgumentException(name + ": " + newFeatures.length + " new feature values for "
                    + size * featureCount + " (" + size + " x " + featureCount + ")");
        }
        return new Dataset(name, exampleShape, newFeatures, null, labels, classCount, classNames, targets);
    }

    /**
     * Splits the set at random into a training and a test part, the test part holding
     * {@code round(testFraction * n)} examples (at least one of each part when n allows it).
     *
     * @param testFraction the share of examples for testing, strictly between 0 and 1
     * @param seed         the seed of the shuffle ({@link Shuffle#permutation(int, long)})
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction " + testFraction + ": must be strictly between 0 and 1");
        }
        if (size < 2) {
            throw new IllegalArgumentException(name + ": " + size + " example(s) cannot be split into training and test parts");
        }
        int test = (int) Math.max(1, Math.min(size - 1, Math.round(testFraction * size)));
        int[] order = Shuffle.permutation(size, seed);
        return new Split(subset(name + "/train", Arrays.copyOfRange(order, test, size)),
                subset(name + "/test", Arrays.copyOfRange(order, 0, test)));
    }

    @Override
    public String toString() {
        return name + ": " + size + " examples of shape " + Arrays.toString(exampleShape)
                + (labels != null ? ", " + classCount + " classes" : ", regression");
    }
}
