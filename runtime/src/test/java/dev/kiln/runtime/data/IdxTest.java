package dev.kiln.runtime.data;

import static dev.kiln.runtime.data.IdxFiles.gzip;
import static dev.kiln.runtime.data.IdxFiles.idx;
import static dev.kiln.runtime.data.IdxFiles.images;
import static dev.kiln.runtime.data.IdxFiles.labels;
import static dev.kiln.runtime.data.IdxFiles.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class IdxTest {
    @TempDir
    Path dir;

    private String failure(Path file) {
        return assertThrows(DataFileException.class, () -> Idx.read(file)).getMessage();
    }

    @Test
    void readsImagesAsStored() throws IOException {
        INDArray images = Idx.read(write(dir.resolve("images"), images(3, 2, 4)));
        assertEquals(DataType.FLOAT, images.dataType());
        assertArrayEquals(new long[] {3, 2, 4}, images.shape());
        assertEquals(2 + 5, images.getFloat(2, 1, 1));
    }

    @Test
    void readsBytesAbove127AsUnsigned() throws IOException {
        INDArray values = Idx.read(write(dir.resolve("v"), idx(new int[] {3}, new byte[] {(byte) 255, (byte) 128, 1})));
        assertArrayEquals(new float[] {255, 128, 1}, values.toFloatVector());
        INDArray scaled = Idx.readScaled(dir.resolve("v"));
        assertArrayEquals(new float[] {1, 128 / 255f, 1 / 255f}, scaled.toFloatVector(), 1e-7f);
    }

    @Test
    void readsGzipByContentWhateverTheName() throws IOException {
        INDArray labels = Idx.read(write(dir.resolve("labels-no-gz-suffix"), gzip(labels(12))));
        assertArrayEquals(new long[] {12}, labels.shape());
        assertEquals(1f, labels.getFloat(11));
        INDArray plain = Idx.read(write(dir.resolve("labels.gz"), labels(12)));
        assertEquals(labels, plain);
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent-idx1-ubyte");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Idx.read(file));
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void foreignFile() throws IOException {
        Path file = write(dir.resolve("notes.txt"), "hello, world".getBytes(UTF_8));
        assertEquals("not an IDX file: " + file + " (magic 0x68656c6c; expected 0x00000801 or 0x00000803)",
                failure(file));
    }

    @Test
    void emptyFile() throws IOException {
        Path file = write(dir.resolve("empty"), new byte[0]);
        assertEquals(file + " is empty; expected an IDX file (expected 0x00000801 or 0x00000803)", failure(file));
    }

    @Test
    void truncatedData() throws IOException {
        byte[] full = images(5, 4, 4);
        Path file = write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 10));
        assertEquals(file + " is truncated: header promises 5x4x4 bytes but only 70 were read", failure(file));
    }

    @Test
    void truncatedGzippedData() throws IOException {
        byte[] zipped = gzip(images(50, 10, 10));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(zipped, zipped.length / 2));
        String message = failure(file);
        assertTrue(message.startsWith(file + " is truncated"), message);
    }

    @Test
    void truncatedHeader() throws IOException {
        Path file = write(dir.resolve("header"), Arrays.copyOf(images(1, 2, 2), 9));
        assertEquals(file + " is truncated: its header promises 3 dimensions but ends after 9 bytes", failure(file));
    }

    @Test
    void otherIdxDataType() throws IOException {
        byte[] floats = idx(new int[] {1}, new byte[4]);
        floats[2] = 0x0d;
        Path file = write(dir.resolve("floats"), floats);
        assertEquals(file + " holds IDX data of type 0xd (magic 0x00000d01); only unsigned bytes (type 0x08) are "
                + "read: expected 0x00000801 or 0x00000803", failure(file));
    }

    @Test
    void otherRank() throws IOException {
        Path file = write(dir.resolve("matrix"), idx(new int[] {2, 2}, new byte[4]));
        assertEquals(file + " is an IDX file of 2 dimensions (magic 0x00000802); expected 0x00000801 or 0x00000803,"
                + " labels or images", failure(file));
    }
}
