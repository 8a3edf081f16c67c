package dev.descent.lab;

import com.sun.net.httpserver.HttpServer;
import dev.descent.data.IdxFile;
import dev.descent.data.MnistFamily;
import dev.descent.data.Split;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code descent data fetch} against a local HTTP server that serves small generated IDX files. */
class DataFetchCommandTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> files = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private String mirror;

    @BeforeEach
    void serve() throws IOException {
        int[] trainLabels = {3, 1, 4, 1, 5, 9};
        int[] testLabels = {2, 6};
        files.put("train-images-idx3-ubyte.gz", gzip(IdxFile.encodeImages(6, 2, 2, pixels(24))));
        files.put("train-labels-idx1-ubyte.gz", gzip(IdxFile.encodeLabels(trainLabels)));
        files.put("t10k-images-idx3-ubyte.gz", gzip(IdxFile.encodeImages(2, 2, 2, pixels(8))));
        files.put("t10k-labels-idx1-ubyte.gz", gzip(IdxFile.encodeLabels(testLabels)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sets/", exchange -> {
            requests.incrementAndGet();
            String name = exchange.getRequestURI().getPath().substring("/sets/".length());
            byte[] body = files.get(name);
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        mirror = "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + "/sets";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 37);
        }
        return p;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private Map<String, String> servedSums() throws IOException {
        Map<String, String> sums = new HashMap<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path tmp = Files.write(dir.resolve("sum-" + e.getKey()), e.getValue());
            sums.put(e.getKey(), Download.sha256(tmp));
            Files.delete(tmp);
        }
        return sums;
    }

    private static List<String> list(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsVerifiesAndLoads() throws IOException {
        Path target = dir.resolve("data/fashion-mnist");
        StringWriter err = new StringWriter();
        DataFetchCommand.fetch(MnistFamily.FASHION_MNIST, DataFetchCommand.folderUrl("--mirror", mirror), target, servedSums(),
                new PrintWriter(err, true));
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz"), list(target), "the four files and no temporary file");
        for (String name : files.keySet()) {
            assertArrayEquals(files.get(name), Files.readAllBytes(target.resolve(name)), name);
        }
        assertEquals(4, requests.get());
        Split split = MnistFamily.FASHION_MNIST.load(target);
        assertArrayEquals(new int[] {3, 1, 4, 1, 5, 9}, split.train().labels());
        assertEquals(2, split.test().size());
        assertTrue(err.toString().contains("SHA-256 ok"), err.toString());

        // A second fetch finds the files in place and downloads nothing.
        StringWriter again = new StringWriter();
        DataFetchCommand.fetch(MnistFamily.FASHION_MNIST, URI.create(mirror + "/"), target, servedSums(), new PrintWriter(again, true));
        assertEquals(4, requests.get());
        assertTrue(again.toString().contains("train-images-idx3-ubyte.gz is already there (SHA-256 ok)"), again.toString());
    }

    /**
     * The whole command with the real sums: the server serves Zalando's Fashion-MNIST files, rebuilt from
     * Debian's package by putting back the gzip header's file name and time that Debian dropped.
     */
    @Test
    void fetchesTheRealFashionMnistFromAMirror() throws IOException {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(debian), "apt-get install dataset-fashion-mnist to run this test");
        Map<String, Integer> mtimes = Map.of("train-images-idx3-ubyte", 1504176606, "train-labels-idx1-ubyte", 1504176606,
                "t10k-images-idx3-ubyte", 1504176627, "t10k-labels-idx1-ubyte", 1504176627);
        for (String name : MnistFamily.FILES) {
            byte[] packaged = Files.readAllBytes(debian.resolve(name + ".gz"));
            int t = mtimes.get(name);
            ByteArrayOutputStream original = new ByteArrayOutputStream();
            original.write(new byte[] {0x1f, (byte) 0x8b, 8, 8, (byte) t, (byte) (t >>> 8), (byte) (t >>> 16), (byte) (t >>> 24), 0, 3});
            original.write((name + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            original.write(packaged, 10, packaged.length - 10);
            files.put(name + ".gz", original.toByteArray());
        }
        Path target = dir.resolve("fashion-mnist");
        Invocation run = Invocation.of("data", "fetch", "fashion-mnist", "--mirror", mirror, "--dir", target.toString());
        assertEquals(Main.OK, run.exitCode(), run::toString);
        assertEquals(List.of(target.toString()), run.outLines(), "stdout holds the folder alone");
        for (String name : files.keySet()) {
            assertArrayEquals(files.get(name), Files.readAllBytes(target.resolve(name)), name);
        }
        assertEquals(4, list(target).size());
        assertEquals(4, requests.get());
    }

    @Test
    void badChecksumIsAnErrorAndLeavesNoFile() throws IOException {
        // The project's real sums cannot match the generated files.
        Path target = dir.resolve("kmnist");
        Invocation run = Invocation.of("data", "fetch", "kmnist", "--mirror", mirror, "--dir", target.toString());
        assertEquals(Main.FAILED, run.exitCode(), run::toString);
        assertEquals("", run.out());
        String last = run.errLines().get(run.errLines().size() - 1);
        assertTrue(last.startsWith("descent: SHA-256 of " + mirror + "/train-images-idx3-ubyte.gz ("), last);
        assertTrue(last.contains("expected " + MnistFamily.KMNIST.sha256().get("train-images-idx3-ubyte.gz")), last);
        assertEquals(List.of(), list(target), "nothing left behind, not even a temporary file");
    }

    @Test
    void badDownloadNeverReplacesAGoodFile() throws IOException {
        Path target = dir.resolve("set");
        Map<String, String> sums = servedSums();
        DataFetchCommand.fetch(MnistFamily.MNIST, URI.create(mirror + "/"), target, sums, new PrintWriter(new StringWriter()));
        byte[] good = Files.readAllBytes(target.resolve("train-images-idx3-ubyte.gz"));
        // The server now sends other bytes, and the file on disk is damaged: the fetch fails and keeps it as it was.
        Files.write(target.resolve("train-images-idx3-ubyte.gz"), new byte[] {1, 2, 3});
        files.put("train-images-idx3-ubyte.gz", new byte[] {4, 5, 6});
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> DataFetchCommand.fetch(MnistFamily.MNIST,
                URI.create(mirror + "/"), target, sums, new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("was not kept"), e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target.resolve("train-images-idx3-ubyte.gz")));
        assertTrue(good.length > 3);
        assertEquals(4, list(target).size(), "no temporary file: " + list(target));
    }

    @Test
    void missingFileOnTheServerNamesTheUrlAndStatus() {
        Path target = dir.resolve("m");
        Invocation run = Invocation.of("data", "fetch", "mnist", "--mirror", mirror + "/nothing-here/", "--dir", target.toString());
        assertEquals(Main.FAILED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("descent: download of " + mirror + "/nothing-here/train-images-idx3-ubyte.gz failed: HTTP status 404"),
                run::toString);
    }

    @Test
    void badUsageExitsTwoWithOneLine() {
        Invocation run = Invocation.of("data", "fetch", "fashon-mnist", "--dir", dir.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run::toString);
        assertEquals(List.of("descent: unknown data set 'fashon-mnist'; did you mean 'fashion-mnist'? valid names: fashion-mnist, kmnist, mnist"),
                run.errLines());
        run = Invocation.of("data", "fetch", "mnist", "--mirror", "ftp://example.org/x", "--dir", dir.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run::toString);
        assertEquals(List.of("descent: --mirror 'ftp://example.org/x': expected an http or https URL of a folder, "
                + "e.g. --mirror https://example.org/mnist/"), run.errLines());
        run = Invocation.of("data");
        assertEquals(Main.BAD_INPUT, run.exitCode(), run::toString);
        assertEquals(List.of("descent: missing command: use data fetch (see descent data --help)"), run.errLines());
        assertEquals(0, requests.get());
    }
}
