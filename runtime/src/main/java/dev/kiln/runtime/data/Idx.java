package dev.kiln.runtime.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads MNIST's IDX files: unsigned bytes with a big-endian header, magic {@code 0x00000803} for images
 * {@code (n, rows, columns)} and {@code 0x00000801} for labels {@code (n)}. Gzip-compressed files are recognized by
 * their content, whatever their name. Problems (a foreign file, a truncated one, another IDX data type) are
 * {@link DataFileException}s naming the file; a missing file is a {@link java.nio.file.NoSuchFileException}.
 */
public final class Idx {
    private static final int UNSIGNED_BYTE = 0x08;
    private static final String EXPECTED = "expected 0x00000801 or 0x00000803";

    private Idx() {
    }

    /** The file's values as float32, as stored: 0..255. */
    public static INDArray read(Path file) throws IOException {
        return readBytes(file).castTo(DataType.FLOAT);
    }

    /** The file's values as float32 scaled to [0, 1] (divided by 255), as images are fed to a network. */
    public static INDArray readScaled(Path file) throws IOException {
        return read(file).divi(255);
    }

    private static INDArray readBytes(Path file) throws IOException {
        try (InputStream in = Sources.open(file)) {
            long[] shape = header(file, in);
            long total = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (total == 0) {
                throw new DataFileException(file + " holds no values: its header says " + dimensions(shape));
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new DataFileException(file + " holds " + total + " values; at most " + (Integer.MAX_VALUE - 8)
                        + " can be read");
            }
            byte[] data = new byte[(int) total];
            int read = readFully(in, data);
            if (read < total) {
                throw new DataFileException(file + " is truncated: header promises " + dimensions(shape)
                        + " bytes but only " + read + " were read");
            }
            INDArray array = Nd4j.create(DataType.UBYTE, shape);
            new BytePointer(array.data().addressPointer()).put(data, 0, data.length);
            return array;
        } catch (IOException e) {
            throw Sources.explain(file.toString(), e);
        }
    }

    /** Reads the magic number and the dimensions, leaving {@code in} at the first value. */
    private static long[] header(Path file, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length == 0) {
            throw new DataFileException(file + " is empty; expected an IDX file (" + EXPECTED + ")");
        }
        if (magic.length < 4) {
            throw new DataFileException(file + " is truncated: it ends inside its 4-byte IDX magic number");
        }
        int type = magic[2] & 0xff;
        int rank = magic[3] & 0xff;
        String hex = String.format("0x%02x%02x%02x%02x", magic[0], magic[1], type, rank);
        if (magic[0] != 0 || magic[1] != 0 || !isIdxType(type)) {
            throw new DataFileException("not an IDX file: " + file + " (magic " + hex + "; " + EXPECTED + ")");
        }
        if (type != UNSIGNED_BYTE) {
            throw new DataFileException(file + " holds IDX data of type 0x" + Integer.toHexString(type)
                    + " (magic " + hex + "); only unsigned bytes (type 0x08) are read: " + EXPECTED);
        }
        if (rank != 1 && rank != 3) {
            throw new DataFileException(file + " is an IDX file of " + rank + " dimensions (magic " + hex
                    + "); " + EXPECTED + ", labels or images");
        }
        byte[] sizes = in.readNBytes(4 * rank);
        if (sizes.length < 4 * rank) {
            throw new DataFileException(file + " is truncated: its header promises " + rank
                    + " dimensions but ends after " + (4 + sizes.length) + " bytes");
        }
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = ((sizes[4 * d] & 0xffL) << 24) | ((sizes[4 * d + 1] & 0xff) << 16)
                    | ((sizes[4 * d + 2] & 0xff) << 8) | (sizes[4 * d + 3] & 0xff);
        }
        return shape;
    }

    /** IDX's data type codes: unsigned and signed byte, short, int, float, double. */
    private static boolean isIdxType(int type) {
        return type == 0x08 || type == 0x09 || type == 0x0b || type == 0x0c || type == 0x0d || type == 0x0e;
    }

    /** Reads until {@code data} is full or the stream ends (also when a gzip stream ends early); the count read. */
    private static int readFully(InputStream in, byte[] data) throws IOException {
        int read = 0;
        try {
            while (read < data.length) {
                int n = in.read(data, read, data.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (EOFException e) {
            // a gzip stream cut short: report how much was read, below
        }
        return read;
    }

    private static String dimensions(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
