/**
 * Data sets for training: in-memory examples as plain arrays, the files they come from, and the batches a
 * training loop walks through.
 *
 * <ul>
 *   <li>{@link dev.descent.data.Dataset}: n examples of d float features, row-major in one {@code float[]},
 *       with integer class labels ({@code int[]} and a class count) or float regression targets; an example
 *       shape such as {@code [1, 28, 28]} says how the d features are laid out. Sets of 8-bit images keep
 *       their pixels as bytes and convert them to floats as batches are copied out. A
 *       {@link dev.descent.data.Split} pairs a training set with its test set.</li>
 *   <li>{@link dev.descent.data.Batches}: the batches of an epoch, as index arrays or as
 *       {@link dev.descent.data.Batch}es with copied features and answers. The batch size picks the variant of
 *       gradient descent: 1 is stochastic, n is full-batch, anything between is mini-batch; the last partial
 *       batch is kept. Shuffling is seeded per epoch ({@link dev.descent.data.Shuffle}, a
 *       {@link java.util.SplittableRandom} from an explicit seed; no global random generator anywhere).</li>
 *   <li>{@link dev.descent.data.IdxFile}: IDX files (plain or gzip), the format of the MNIST family, with
 *       errors that name the file and the byte offset. {@link dev.descent.data.MnistFamily} names
 *       {@code mnist}, {@code fashion-mnist} and {@code kmnist} and finds them ({@link dev.descent.data.DataDirs})
 *       in {@code $DESCENT_DATA/<name>}, {@code ~/.descent/data/<name>}, then Debian's
 *       {@code /usr/share/datasets/<name>} (where {@code apt-get install dataset-fashion-mnist} puts
 *       Fashion-MNIST), pixels scaled to [0, 1] ({@link dev.descent.data.Pixels}).</li>
 *   <li>{@link dev.descent.data.CsvDataset}: a CSV file with a header row, the target column chosen by name,
 *       for classification or regression; {@link dev.descent.data.Standardizer} standardises features with the
 *       training set's statistics only ({@link dev.descent.data.Split#standardized()}).</li>
 *   <li>{@link dev.descent.data.Synthetic}: seeded Gaussian blobs, two spirals, and noisy linear regression.</li>
 *   <li>{@link dev.descent.data.DataSpecs}: any of these named in the project's spec grammar, as a
 *       {@code --data} option gives them: {@code fashion-mnist}, {@code blobs(n=1000, classes=3, dims=2)},
 *       {@code csv("iris.csv", target="species")}.</li>
 * </ul>
 *
 * <p>For example, a seeded mini-batch epoch over Fashion-MNIST:
 * <pre>{@code
 * Split data = MnistFamily.FASHION_MNIST.load();          // 60,000 + 10,000 images, pixels in [0, 1]
 * Batches batches = Batches.shuffled(data.train(), 64, 42);
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch batch : batches.epoch(epoch)) {
 *         // batch.features(): batch.size() x 784 floats; batch.labels(): batch.size() ints in 0..9
 *     }
 * }
 * }</pre>
 *
 * <p>Errors in data (a corrupt file, a label outside the classes, a non-number in a CSV file, a missing file
 * or set) are {@link java.lang.IllegalArgumentException}s, bad input, whose one-line message names the file
 * and where in it; a file that exists but cannot be read is an {@link java.io.UncheckedIOException}. This
 * package depends on nothing but descent-optim's spec and name helpers: it hands plain arrays to whatever
 * builds tensors from them.
 */
package dev.descent.data;
