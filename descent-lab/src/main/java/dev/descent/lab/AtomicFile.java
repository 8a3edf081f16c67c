package dev.descent.lab;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old file or the complete new one: the text or bytes go to a
 * temporary file beside it, which is then renamed over the target. Missing parent folders are created; a
 * failed write leaves no temporary file behind.
 */
final class AtomicFile {
    /** Writes the content of a file. */
    @FunctionalInterface
    interface Body {
        void writeTo(Writer writer) throws IOException;
    }

    private AtomicFile() {
    }

    /** Writes the bytes of a file. */
    @FunctionalInterface
    interface BinaryBody {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code path} with what {@code body} writes, in UTF-8.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    static void write(Path path, Body body) {
        writeBytes(path, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            body.writeTo(w);
            w.flush();
        });
    }

    /**
     * Writes {@code path} with the bytes {@code body} writes. When the body throws, the temporary file is
     * deleted and the target is left as it was; a {@link RuntimeException} from the body passes unchanged.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    static void writeBytes(Path path, BinaryBody body) {
        Path target = path.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectories(dir);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), 1 << 16)) {
                body.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("could not write " + path + ": " + reason(e), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the original error is the one to report
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied on " + a.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is in the way (it exists and is not a folder)";
        }
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + " does not exist and cannot be created";
        }
        if (e instanceof FileSystemException f) {
            return (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName()) + " (" + f.getFile() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
