package dev.descent.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes files and folders so that a reader (or a run resumed after a crash) sees either the old version or
 * the complete new one: the content goes to a temporary name beside the target, which is then renamed over it.
 */
final class AtomicWrite {
    private AtomicWrite() {
    }

    /** Writes {@code path} with {@code bytes}, creating missing parent folders. */
    static void bytes(Path path, byte[] bytes) {
        Path target = path.toAbsolutePath().normalize();
        Path tmp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.write(tmp, bytes);
            move(tmp, target);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write error is the one to report
            }
            throw new UncheckedIOException("could not write " + path + ": " + e, e);
        }
    }

    /** Writes {@code path} with {@code text} in UTF-8. */
    static void text(Path path, String text) {
        bytes(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces folder {@code target} by the complete folder {@code fresh}: the old one is renamed to
     * {@code target.old}, the new one into place, then the old one deleted. A crash in between leaves
     * {@code target.old} complete, which {@link #existing(Path)} then finds.
     */
    static void replaceFolder(Path fresh, Path target) {
        Path old = target.resolveSibling(target.getFileName() + ".old");
        try {
            deleteTree(old);
            if (Files.exists(target)) {
                move(target, old);
            }
            move(fresh, target);
            deleteTree(old);
        } catch (IOException e) {
            throw new UncheckedIOException("could not put " + fresh + " in place of " + target + ": " + e, e);
        }
    }

    /** The folder {@link #replaceFolder} last completed: {@code target}, else {@code target.old} after a crash. */
    static Path existing(Path target) {
        Path old = target.resolveSibling(target.getFileName() + ".old");
        return !Files.isDirectory(target) && Files.isDirectory(old) ? old : target;
    }

    /** Deletes a folder and everything in it; nothing when it is absent. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
