package dev.descent.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTextAndBytesCreatingFolders() throws IOException {
        AtomicFile.write(dir.resolve("a/b.csv"), w -> w.write("x,y\n1,2\n"));
        assertEquals("x,y\n1,2\n", Files.readString(dir.resolve("a/b.csv")));
        AtomicFile.writeBytes(dir.resolve("c.bin"), out -> out.write(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("c.bin")));
        assertEquals(List.of("a", "c.bin"), files());
    }

    @Test
    void aFailingBodyLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("keep.bin");
        Files.write(target, new byte[] {9});
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> AtomicFile.writeBytes(target, out -> {
            out.write(new byte[] {1, 2});
            throw boom;
        }));
        assertSame(boom, thrown, "a runtime exception passes unchanged");
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> AtomicFile.writeBytes(target, out -> {
            throw new IOException("disk full");
        }));
        assertEquals("could not write " + target + ": disk full", io.getMessage());
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target));
        assertEquals(List.of("keep.bin"), files());
    }

    @Test
    void aFileInTheWayIsNamed() throws IOException {
        Files.writeString(dir.resolve("file"), "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> AtomicFile.writeBytes(dir.resolve("file/inner.bin"), out -> out.write(1)));
        assertTrue(e.getMessage().startsWith("could not write " + dir.resolve("file/inner.bin") + ": "), e.getMessage());
    }
}
