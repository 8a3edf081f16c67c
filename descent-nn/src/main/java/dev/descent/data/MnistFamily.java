package dev.descent.data;

import dev.descent.optim.spec.Names;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The MNIST family of image sets, which share one layout: four IDX files ({@link #FILES}, plain or
 * {@code .gz}) holding 60,000 training and 10,000 test grey 28x28 images in 10 classes.
 *
 * <p>Each member knows where it is downloaded from and the SHA-256 of each of its four {@code .gz} files
 * there, which {@code descent data fetch} checks. The sums are those TensorFlow Datasets records for the
 * same URLs ({@code tensorflow_datasets/url_checksums/}). Debian's {@code dataset-fashion-mnist} recompressed
 * the files without the gzip header's file name and time, so its .gz files have other sums; with those put
 * back, its bytes give exactly the recorded Fashion-MNIST sums and the MD5 sums Zalando publishes
 * ({@code FashionMnistTest} checks this). Loading reads the decompressed data, the same either way.
 *
 * <p>{@link #load()} finds the set with {@link DataDirs#fromEnvironment()} and returns it with pixels scaled
 * to [0, 1] and examples of shape {@code [1, rows, cols]}, the pixels kept as bytes
 * ({@link Dataset#pixelClassification}); a set that is nowhere is one error that lists the
 * folders looked in and how to get it.
 */
public enum MnistFamily {
    /** LeCun, Cortes and Burges's handwritten digits. */
    MNIST("mnist",
            // Google's CVDF copy of http://yann.lecun.com/exdb/mnist/, whose server has refused scripted
            // downloads at times (torchvision and TensorFlow Datasets use copies too); the same files, whose
            // sizes match LeCun's page.
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
            null,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
    /** Zalando's Fashion-MNIST: pictures of clothes in MNIST's layout (Xiao, Rasul and Vollgraf, 2017). */
    FASHION_MNIST("fashion-mnist",
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "dataset-fashion-mnist",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
    /** Kuzushiji-MNIST: ten cursive Japanese hiragana (Clanuwat et al., 2018), named by their romanisation. */
    KMNIST("kmnist",
            "http://codh.rois.ac.jp/kmnist/dataset/kmnist/",
            null,
            List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
            "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4",
            "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17",
            "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5",
            "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c");

    /** The four files of a set, without {@code .gz}: training images and labels, test images and labels. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private final String id;
    private final String url;
    private final String debianPackage;
    private final List<String> classNames;
    private final List<String> sha256;

    MnistFamily(String id, String url, String debianPackage, List<String> classNames, String... sha256) {
        this.id = id;
        this.url = url;
        this.debianPackage = debianPackage;
        this.classNames = classNames;
        this.sha256 = List.of(sha256);
    }

    /** The set's name: {@code mnist}, {@code fashion-mnist} or {@code kmnist}. */
    public String id() {
        return id;
    }

    /** The folder URL (ending in {@code /}) the {@code .gz} files are downloaded from. */
    public String url() {
        return url;
    }

    /** The Debian package that installs the set under {@code /usr/share/datasets}, if there is one. */
    public Optional<String> debianPackage() {
        return Optional.ofNullable(debianPackage);
    }

    /** The names of the ten classes, by label. */
    public List<String> classNames() {
        return classNames;
    }

    /** The SHA-256 (lower-case hex) of each {@code .gz} file at {@link #url()}, keyed by file name with {@code .gz}. */
    public Map<String, String> sha256() {
        return Map.of(FILES.get(0) + ".gz", sha256.get(0), FILES.get(1) + ".gz", sha256.get(1),
                FILES.get(2) + ".gz", sha256.get(2), FILES.get(3) + ".gz", sha256.get(3));
    }

    /** All names, in declaration order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(MnistFamily::id).toList();
    }

    /**
     * The member called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid names and the closest one
     */
    public static MnistFamily byName(String name) {
        for (MnistFamily f : values()) {
            if (f.id.equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(Names.unknown("data set", name, names()));
    }

    /**
     * The first folder of {@code dirs.candidates(id())} that holds all four files, plain or {@code .gz}.
     */
    public Optional<Path> locate(DataDirs dirs) {
        for (Path dir : dirs.candidates(id)) {
            if (missingFile(dir) == null) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /**
     * The folder that holds the set.
     *
     * @throws IllegalArgumentException when no candidate folder holds it, listing each folder and what it
     *                                  lacks, and how to get the set
     */
    public Path require(DataDirs dirs) {
        return locate(dirs).orElseThrow(() -> new IllegalArgumentException(notFound(dirs)));
    }

    /** The set from its folder (see {@link #require(DataDirs)}), pixels in [0, 1]. */
    public Split load(DataDirs dirs) {
        return load(require(dirs));
    }

    /** The set from the folders of this process ({@link DataDirs#fromEnvironment()}), pixels in [0, 1]. */
    public Split load() {
        return load(DataDirs.fromEnvironment());
    }

    /**
     * Reads the set's four files from {@code dir}, checking that images and labels agree in number, that
     * training and test images have the same size, and that every label is one of the ten classes.
     */
    public Split load(Path dir) {
        String missing = missingFile(dir);
        if (missing != null) {
            throw new IllegalArgumentException(id + ": " + dir + " " + missing);
        }
        return new Split(part(dir, "train", FILES.get(0), FILES.get(1)), part(dir, "test", FILES.get(2), FILES.get(3)));
    }

    private Dataset part(Path dir, String part, String imagesFile, String labelsFile) {
        IdxFile.Images images = IdxFile.readImages(file(dir, imagesFile));
        int[] labels = IdxFile.readLabels(file(dir, labelsFile), classNames.size());
        if (labels.length != images.count()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s holds %d images but %s holds %d labels",
                    id, images.file(), images.count(), file(dir, labelsFile), labels.length));
        }
        return Dataset.pixelClassification(id + "/" + part, new int[] {1, images.rows(), images.cols()},
                images.pixels(), labels, classNames);
    }

    /** {@code dir/name}, or {@code dir/name.gz} when only that exists. */
    private static Path file(Path dir, String name) {
        Path plain = dir.resolve(name);
        return Files.isRegularFile(plain) ? plain : dir.resolve(name + ".gz");
    }

    /** Why {@code dir} does not hold the set, or null when it does. */
    private static String missingFile(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir) ? "is not a folder" : "does not exist";
        }
        List<String> missing = new ArrayList<>();
        for (String name : FILES) {
            if (!Files.isRegularFile(file(dir, name))) {
                missing.add(name + "[.gz]");
            }
        }
        return missing.isEmpty() ? null : "lacks " + String.join(", ", missing);
    }

    private String notFound(DataDirs dirs) {
        StringBuilder b = new StringBuilder(id + " not found; looked in ");
        if (dirs.descentData() == null) {
            b.append("$" + DataDirs.ENV + "/" + id + " (" + DataDirs.ENV + " is not set), ");
        }
        List<Path> candidates = dirs.candidates(id);
        for (int i = 0; i < candidates.size(); i++) {
            b.append(candidates.get(i)).append(" (").append(missingFile(candidates.get(i))).append(")")
                    .append(i < candidates.size() - 1 ? ", " : "");
        }
        b.append("; get it with ");
        if (debianPackage != null) {
            b.append("apt-get install ").append(debianPackage).append(" or ");
        }
        return b.append("./descent data fetch ").append(id).toString();
    }
}
