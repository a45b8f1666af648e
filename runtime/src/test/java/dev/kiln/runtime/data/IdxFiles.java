package dev.kiln.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for the tests. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** An IDX file of unsigned bytes: magic 0x000008 + rank, the dimensions, then {@code values}. */
    static byte[] idx(int[] shape, byte[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0x08);
        out.write(shape.length);
        for (int size : shape) {
            out.write(size >>> 24);
            out.write(size >>> 16);
            out.write(size >>> 8);
            out.write(size);
        }
        out.writeBytes(values);
        return out.toByteArray();
    }

    /** {@code n} images of {@code rows} x {@code columns} whose pixel k of image i is (i + k) % 256. */
    static byte[] images(int n, int rows, int columns) {
        byte[] pixels = new byte[n * rows * columns];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < rows * columns; k++) {
                pixels[i * rows * columns + k] = (byte) (i + k);
            }
        }
        return idx(new int[] {n, rows, columns}, pixels);
    }

    /** {@code n} labels i % 10. */
    static byte[] labels(int n) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        return idx(new int[] {n}, labels);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(buffer)) {
            out.write(bytes);
        }
        return buffer.toByteArray();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        return Files.write(file, bytes);
    }
}
