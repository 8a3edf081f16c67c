package dev.descent.train;

import dev.descent.data.DataSpecs;
import dev.descent.data.Split;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files and the checkpoint folder are replaced whole: no temporary file is left, and a crash between renames is survived. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    private List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFileIsReplacedAndNoTemporaryFileStays() throws IOException {
        Path file = dir.resolve("sub/history.csv");
        AtomicWrite.text(file, "one\n");
        AtomicWrite.text(file, "two\n");
        assertEquals("two\n", Files.readString(file));
        assertEquals(List.of("history.csv"), names(file.getParent()));
    }

    @Test
    void aFailedWriteNamesThePathAndLeavesNothing() throws IOException {
        Files.writeString(dir.resolve("plain"), "a file, not a folder");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> AtomicWrite.bytes(dir.resolve("plain/x.safetensors"), new byte[] {1}));
        assertTrue(e.getMessage().contains("plain/x.safetensors"), e.getMessage());
        Files.createDirectory(dir.resolve("target.safetensors"));
        Files.writeString(dir.resolve("target.safetensors/inside"), "keeps the rename from replacing it");
        assertThrows(UncheckedIOException.class, () -> AtomicWrite.bytes(dir.resolve("target.safetensors"), new byte[] {1}));
        assertEquals(List.of("plain", "target.safetensors"), names(dir), "no temporary file left behind");
    }

    @Test
    void aFolderIsReplacedWhole() throws IOException {
        Path target = dir.resolve("checkpoint");
        Path fresh = Files.createDirectories(dir.resolve("checkpoint.new"));
        Files.writeString(fresh.resolve("a"), "1");
        AtomicWrite.replaceFolder(fresh, target);
        fresh = Files.createDirectories(dir.resolve("checkpoint.new"));
        Files.writeString(fresh.resolve("b"), "2");
        AtomicWrite.replaceFolder(fresh, target);
        assertEquals(List.of("b"), names(target), "the old folder's files are gone with it");
        assertEquals(List.of("checkpoint"), names(dir));
    }

    /**
     * A crash after the old checkpoint was renamed aside and before the new one took its place leaves
     * {@code checkpoint.old}; the run resumes from it, to the same weights as a run never interrupted.
     */
    @Test
    void aRunResumesFromTheCheckpointSetAsideByACrash() throws IOException {
        Split data = DataSpecs.load("blobs(n=120, classes=3, dims=2)");
        TrainConfig config = TrainConfig.builder().model("mlp(hidden=[8])").optimizer("adam(lr=0.01)").epochs(3)
                .batchSize(16).seed(2).data("blobs").build();
        Trainer whole = new Trainer(config, data);
        whole.run(dir.resolve("whole"));

        Path run = dir.resolve("crashed");
        new Trainer(config.withEpochs(2), data).run(run);
        Files.move(run.resolve("checkpoint"), run.resolve("checkpoint.old"));
        Files.createDirectories(run.resolve("checkpoint.new"));
        Files.writeString(run.resolve("checkpoint.new/model.safetensors"), "half written");
        Trainer resumed = new Trainer(Trainer.savedConfig(run).withEpochs(3), data).restore(run);
        assertEquals(2, resumed.history().size());
        resumed.run(run);
        assertArrayEquals(whole.model().store().data(), resumed.model().store().data());
        assertFalse(Files.exists(run.resolve("checkpoint.new")));
        assertFalse(Files.exists(run.resolve("checkpoint.old")));
        assertTrue(Files.isRegularFile(run.resolve("checkpoint/trainer.state")));
    }
}
