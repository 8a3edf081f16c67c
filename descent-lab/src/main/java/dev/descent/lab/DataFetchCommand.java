package dev.descent.lab;

import dev.descent.data.DataDirs;
import dev.descent.data.MnistFamily;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code descent data fetch NAME [--mirror URL] [--dir DIR]}: downloads the four {@code .gz} files of an
 * MNIST-family set ({@link MnistFamily}) from its source or a mirror, checks each file's SHA-256 against the
 * sum the project records, and writes it atomically ({@link AtomicFile}): a file whose sum differs is never
 * left behind. Files already present with the right sum are kept. The folder defaults to where the data
 * loaders look first for a user's sets ({@link DataDirs#downloadDir(String)}: {@code $DESCENT_DATA/NAME},
 * else {@code ~/.descent/data/NAME}); the folder is the one line printed on stdout.
 */
@Command(name = "fetch", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Download an MNIST-family data set and check its SHA-256 sums.",
                "Prints the folder it is in as its one line on stdout."})
final class DataFetchCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "mnist, fashion-mnist or kmnist.")
    private String name;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Download from this folder URL (http or https) instead of the set's source; the sums checked are the same.")
    private String mirror;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Put the files here (default: $DESCENT_DATA/NAME, else ~/.descent/data/NAME).")
    private Path dir;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        MnistFamily set = MnistFamily.byName(name);
        URI base = mirror == null ? URI.create(set.url()) : folderUrl("--mirror", mirror);
        Path target = dir != null ? dir : DataDirs.fromEnvironment().downloadDir(set.id());
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IllegalArgumentException((dir != null ? "--dir " : "") + target + ": is a file; give a folder for the data set");
        }
        fetch(set, base, target, set.sha256(), spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        out.println(target);
        out.flush();
        return Main.OK;
    }

    /**
     * Downloads {@code set}'s four files from the folder {@code base} into {@code target}, checking each
     * against {@code sha256} (file name with {@code .gz} to lower-case hex).
     */
    static void fetch(MnistFamily set, URI base, Path target, Map<String, String> sha256, PrintWriter err) {
        err.println("descent: data fetch: " + set.id() + " from " + base + " into " + target);
        Download download = new Download();
        long bytes = 0;
        for (String file : MnistFamily.FILES) {
            String gz = file + ".gz";
            bytes += download.fetch(base.resolve(gz), target.resolve(gz), sha256.get(gz), err);
        }
        err.printf(Locale.ROOT, "descent: data fetch: %s is in %s (%d bytes downloaded, SHA-256 checked)%n", set.id(), target, bytes);
    }

    /** A folder URL given to {@code option}: http or https with a host, ending in {@code /}. */
    static URI folderUrl(String option, String text) {
        URI uri;
        try {
            uri = new URI(text.endsWith("/") ? text : text + "/");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " '" + text + "': not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(option + " '" + text + "': expected an http or https URL of a folder, e.g. "
                    + option + " https://example.org/mnist/");
        }
        return uri;
    }
}
