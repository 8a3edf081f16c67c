package dev.descent.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Downloads a file over HTTP into place atomically, checking its SHA-256: the bytes go to a temporary file
 * beside the target ({@link AtomicFile}), which becomes the target only when the sum matches, so a failed or
 * corrupt download leaves nothing behind and never replaces a good file.
 */
final class Download {
    private static final long PROGRESS_NANOS = 3_000_000_000L;
    private final HttpClient client = client();

    /** A client that follows redirects (not from https to http) and uses the JVM's proxy settings, if any. */
    private static HttpClient client() {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL);
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null) {
            builder.proxy(proxies);
        }
        return builder.build();
    }

    /**
     * Puts the file at {@code url} at {@code target} unless {@code target} already has the expected sum.
     *
     * @param sha256 the expected SHA-256, lower-case hex
     * @return the number of bytes downloaded (0 when the file was already there)
     * @throws UncheckedIOException when the download fails or its sum differs (the target is then untouched)
     */
    long fetch(URI url, Path target, String sha256, PrintWriter err) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("no valid SHA-256 for " + target.getFileName() + ": " + sha256);
        }
        if (Files.isRegularFile(target) && sha256.equals(sha256(target))) {
            err.println("descent: data fetch: " + target.getFileName() + " is already there (SHA-256 ok)");
            return 0;
        }
        err.println("descent: data fetch: " + url);
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(1)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("download of " + url + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException("download of " + url + " was interrupted", new IOException(e));
        }
        long[] count = new long[1];
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new UncheckedIOException("download of " + url + " failed: HTTP status " + response.statusCode(),
                        new IOException("HTTP " + response.statusCode()));
            }
            AtomicFile.writeBytes(target, out -> {
                long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                String actual = copy(url, body, out, count, progress(target.getFileName().toString(), size, err));
                if (!actual.equals(sha256)) {
                    String message = String.format(Locale.ROOT, "SHA-256 of %s (%d bytes) is %s, expected %s; "
                            + "the download is corrupt or not the expected file, and was not kept", url, count[0], actual, sha256);
                    throw new UncheckedIOException(message, new IOException(message));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("download of " + url + " failed: " + describe(e), e);
        }
        err.printf(Locale.ROOT, "descent: data fetch: %s: %d bytes, SHA-256 ok%n", target.getFileName(), count[0]);
        return count[0];
    }

    /** Reports the bytes received so far, at most every few seconds. */
    private interface Progress {
        void report(long bytes);
    }

    private static Progress progress(String name, long size, PrintWriter err) {
        long[] next = {System.nanoTime() + PROGRESS_NANOS};
        return bytes -> {
            long now = System.nanoTime();
            if (now >= next[0]) {
                next[0] = now + PROGRESS_NANOS;
                err.printf(Locale.ROOT, "descent: data fetch: %s: %.1f MB%s%n", name, bytes / 1e6,
                        size > 0 ? String.format(Locale.ROOT, " of %.1f MB", size / 1e6) : "");
            }
        };
    }

    /** Copies {@code in} to {@code out} and returns the SHA-256 of what went through; read errors name the URL. */
    private static String copy(URI url, InputStream in, OutputStream out, long[] count, Progress progress) throws IOException {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[1 << 16];
        while (true) {
            progress.report(count[0]);
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw new UncheckedIOException("download of " + url + " broke off after " + count[0] + " bytes: " + describe(e), e);
            }
            if (n < 0) {
                return HexFormat.of().formatHex(digest.digest());
            }
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            count[0] += n;
        }
    }

    /** The SHA-256 of a file, lower-case hex. */
    static String sha256(Path file) {
        MessageDigest digest = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + describe(e), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** What went wrong, with a hint where the cause is likely no network. */
    private static String describe(IOException e) {
        String what = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException
                || e instanceof java.net.http.HttpTimeoutException) {
            return "cannot reach the server (" + what + "); without a network, give --mirror URL of a reachable copy";
        }
        return what;
    }
}
