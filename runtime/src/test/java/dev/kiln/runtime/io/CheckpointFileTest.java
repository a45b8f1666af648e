package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointFileTest {
    @TempDir
    Path dir;

    private static Checkpoint sample() {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        weights.put("hidden/kernel", Nd4j.rand(DataType.FLOAT, 5, 3));
        weights.put("hidden/bias", Nd4j.createFromArray(0.5f, -1f, Float.MIN_VALUE));
        weights.put("out/kernel", Nd4j.rand(DataType.DOUBLE, 3, 2).muli(1e-300));
        Map<String, INDArray> state = new LinkedHashMap<>();
        state.put("iterations", Nd4j.scalar(DataType.LONG, 1L << 40));
        state.put("m", Nd4j.createFromArray(new int[][] {{1, -2}, {Integer.MAX_VALUE, Integer.MIN_VALUE}}));
        state.put("mask", Nd4j.createFromArray(true, false, true));
        state.put("half", Nd4j.createFromArray(1.5f, -2f).castTo(DataType.HALF));
        state.put("empty", Nd4j.create(DataType.FLOAT, 0, 4));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("kiln.version", "0.1.0");
        metadata.put("note", "épreuve ✓");
        return new Checkpoint("com.example.MnistModel", "sha256:abc", weights, "Adam(learning_rate=0.001)", state,
                metadata);
    }

    private Path written() throws IOException {
        return written(sample());
    }

    private Path written(Checkpoint checkpoint) throws IOException {
        Path file = dir.resolve("model.kiln");
        CheckpointFile.write(file, checkpoint);
        return file;
    }

    private static String failure(Path file) {
        return assertThrows(CheckpointFileException.class, () -> CheckpointFile.read(file)).getMessage();
    }

    private static void assertSameArrays(Map<String, INDArray> expected, Map<String, INDArray> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((name, array) -> {
            INDArray read = actual.get(name);
            assertEquals(array.dataType(), read.dataType(), name);
            assertArrayEquals(array.shape(), read.shape(), name);
            if (array.length() > 0) {
                assertArrayEquals(array.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector(),
                        read.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector(), 0.0, name);
            }
        });
    }

    @Test
    void roundTripKeepsEverythingExactly() throws IOException {
        Checkpoint original = sample();
        Checkpoint read = CheckpointFile.read(written(original));
        assertEquals(original.modelClass(), read.modelClass());
        assertEquals(original.architectureHash(), read.architectureHash());
        assertEquals(original.optimizerConfig(), read.optimizerConfig());
        assertEquals(original.metadata(), read.metadata());
        assertEquals(List.copyOf(original.metadata().keySet()), List.copyOf(read.metadata().keySet()));
        assertSameArrays(original.weights(), read.weights());
        assertSameArrays(original.optimizerState(), read.optimizerState());
        assertEquals(0, read.optimizerState().get("iterations").rank());
    }

    @Test
    void roundTripWithoutOptimizer() throws IOException {
        Path file = dir.resolve("plain.kiln");
        INDArray kernel = Nd4j.rand(DataType.FLOAT, 4, 6);
        CheckpointFile.write(file, new Checkpoint("M", "h", Map.of("d/kernel", kernel), null, Map.of(), Map.of()));
        Checkpoint read = CheckpointFile.read(file);
        assertNull(read.optimizerConfig());
        assertEquals(Map.of(), read.optimizerState());
        assertEquals(kernel, read.weights().get("d/kernel"));
    }

    @Test
    void writesViewsAndColumnMajorArraysInRowMajorOrder() throws IOException {
        INDArray base = Nd4j.arange(24).castTo(DataType.FLOAT).reshape(4, 6);
        INDArray transposed = base.transpose();
        INDArray columnMajor = base.dup('f');
        INDArray rowView = base.getRow(2);
        Path file = dir.resolve("views.kiln");
        CheckpointFile.write(file, new Checkpoint("M", "h",
                Map.of("t", transposed, "f", columnMajor, "r", rowView), null, Map.of(), Map.of()));
        Checkpoint read = CheckpointFile.read(file);
        assertEquals(transposed, read.weights().get("t"));
        assertEquals(base, read.weights().get("f"));
        assertEquals(rowView, read.weights().get("r"));
    }

    @Test
    void replacesAnEarlierFile() throws IOException {
        Path file = written();
        CheckpointFile.write(file, new Checkpoint("Other", "h2", Map.of(), null, Map.of(), Map.of()));
        assertEquals("Other", CheckpointFile.read(file).modelClass());
        assertEquals(List.of(file), entries());
    }

    @Test
    void aFailedWriteLeavesTheEarlierFileAndNoTemporaryFile() throws IOException {
        Path file = written();
        byte[] before = Files.readAllBytes(file);
        IOException failure = assertThrows(IOException.class,
                () -> CheckpointFile.write(file, sample(), out -> new FailingAfter(out, 100)));
        assertEquals("disk full (simulated)", failure.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), entries());
    }

    @Test
    void aFailedFirstWriteLeavesNothing() {
        Path file = dir.resolve("new.kiln");
        assertThrows(IOException.class, () -> CheckpointFile.write(file, sample(), out -> new FailingAfter(out, 100)));
        assertEquals(List.of(), entries());
    }

    @Test
    void anArrayTheFormatCannotHoldIsRejectedBeforeTouchingTheFile() throws IOException {
        Path file = written();
        byte[] before = Files.readAllBytes(file);
        Checkpoint bad = new Checkpoint("M", "h", Map.of("w", Nd4j.create(DataType.UINT16, 2)), null, Map.of(),
                Map.of());
        String message = assertThrows(IllegalArgumentException.class, () -> CheckpointFile.write(file, bad))
                .getMessage();
        assertTrue(message.startsWith("weight 'w' is UINT16, which a Kiln model file cannot hold"), message);
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), entries());
    }

    @Test
    void writingIntoAMissingDirectory() {
        Path file = dir.resolve("absent").resolve("m.kiln");
        assertEquals(dir.resolve("absent") + ": no such directory to save m.kiln in",
                assertThrows(NoSuchFileException.class, () -> CheckpointFile.write(file, sample())).getMessage());
    }

    @Test
    void aDirectoryIsRefusedWithItsPath() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("model.kiln"));
        assertEquals(directory + " is a directory, not a Kiln model file", failure(directory));
    }

    @Test
    void aNamedPipeIsRefusedWithoutOpeningIt() throws Exception {
        Path pipe = dir.resolve("pipe.kiln");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
        } catch (IOException e) {
            Assumptions.abort("no mkfifo on this platform: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        // Opening a pipe without a writer would block this test forever: read must refuse it before that.
        assertEquals(pipe + " is not a regular file (a named pipe, a socket or a device), so not a Kiln model file",
                failure(pipe));
    }

    @Test
    void aSaveRemovesTheTemporaryFilesOfKilledSavesToTheSamePathOnly() throws IOException {
        Path file = written();
        // What killed saves leave: Kiln's pattern for this file. Beside them, files that only look alike.
        List<Path> stale = List.of(dir.resolve(".model.kiln.3w5e11264sgsf.tmp"), dir.resolve(".model.kiln.0.tmp"));
        List<Path> others = List.of(dir.resolve(".other.kiln.3w5e11264sgsf.tmp"), dir.resolve("model.kiln.1.tmp"),
                dir.resolve(".model.kiln.1.tmp.bak"), dir.resolve(".model.kiln.UPPER.tmp"),
                dir.resolve(".model.kiln.toolongforalong1.tmp"), dir.resolve("notes.txt"));
        for (Path path : concat(stale, others)) {
            Files.write(path, new byte[] {1, 2, 3});
        }
        CheckpointFile.write(file, sample());
        stale.forEach(path -> assertFalse(Files.exists(path), path + " should have been removed"));
        others.forEach(path -> assertTrue(Files.exists(path), path + " is not Kiln's to remove"));
        assertEquals(sample().modelClass(), CheckpointFile.read(file).modelClass());
    }

    @Test
    void aTemporaryFileThatALiveSaveHoldsIsLeftAlone() throws IOException {
        Path file = written();
        Path live = dir.resolve(".model.kiln.live.tmp");
        try (FileChannel channel = FileChannel.open(live, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.lock(); // as a save in progress holds its temporary file
            CheckpointFile.write(file, sample());
            assertTrue(Files.exists(live));
        }
        CheckpointFile.write(file, sample()); // its writer is gone now
        assertFalse(Files.exists(live));
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.kiln");
        assertEquals(file + ": no such file",
                assertThrows(NoSuchFileException.class, () -> CheckpointFile.read(file)).getMessage());
    }

    @Test
    void foreignFile() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "These are not the weights you are looking for.");
        assertEquals(file + " is not a Kiln model file (bad magic)", failure(file));
        CheckpointFileException e = assertThrows(CheckpointFileException.class, () -> CheckpointFile.read(file));
        assertEquals(file, e.path());
    }

    @Test
    void truncatedAnywhere() throws IOException {
        Path file = written();
        byte[] full = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.kiln");
        for (int length : new int[] {0, 3, 8, 15, 20, 40, full.length / 2, full.length - 1}) {
            Files.write(cut, Arrays.copyOf(full, length));
            String message = failure(cut);
            assertTrue(message.startsWith(cut + " is truncated"), length + ": " + message);
        }
        Files.write(cut, Arrays.copyOf(full, full.length - 1));
        assertEquals(cut + " is truncated: " + (full.length - 1) + " of " + full.length + " bytes", failure(cut));
    }

    @Test
    void corruptedBytesFailTheChecksum() throws IOException {
        Path file = written(new Checkpoint("M", "h", Map.of("w", Nd4j.rand(DataType.FLOAT, 1000)), null, Map.of(),
                Map.of()));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        String message = failure(file);
        assertTrue(message.startsWith(file + " is corrupt: its checksum does not match (stored 0x"), message);
    }

    @Test
    void corruptedLengthFieldsAreCaughtBeforeAllocating() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        int modelClassLength = CheckpointFormat.HEADER_BYTES;
        bytes[modelClassLength + 3] = 0x7f;
        Files.write(file, bytes);
        assertTrue(failure(file).startsWith(file + " is corrupt: the model class claims"), failure(file));
    }

    @Test
    void extraBytesAfterTheEnd() throws IOException {
        Path file = written();
        Files.write(file, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        long size = Files.size(file);
        assertEquals(file + " is corrupt: its header gives a length of " + (size - 3) + " bytes but the file has "
                + size, failure(file));
    }

    @Test
    void unsupportedVersion() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        bytes[CheckpointFormat.MAGIC.length] = 2;
        Files.write(file, bytes);
        assertEquals(file + " has format version 2, which this Kiln cannot read (it reads version 1); read it with "
                + "the Kiln that wrote it", failure(file));
    }

    private List<Path> entries() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A stream that fails like a full disk after {@code limit} bytes. */
    private static final class FailingAfter extends FilterOutputStream {
        private long left;

        FailingAfter(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                out.write(b, off, (int) left);
                left = 0;
                throw new IOException("disk full (simulated)");
            }
            left -= len;
            out.write(b, off, len);
        }
    }
}
