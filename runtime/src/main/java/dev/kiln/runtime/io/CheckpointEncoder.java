package dev.kiln.runtime.io;

import static dev.kiln.runtime.io.CheckpointFormat.HEADER_BYTES;
import static dev.kiln.runtime.io.CheckpointFormat.TRAILER_BYTES;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/** Writes a {@link Checkpoint} in the model file format, little-endian. */
final class CheckpointEncoder {
    private static final int CHUNK = 1 << 20;

    private final OutputStream out;
    private final boolean writeData;
    private final byte[] scratch = new byte[8];
    private long count;

    private CheckpointEncoder(OutputStream out, boolean writeData) {
        this.out = out;
        this.writeData = writeData;
    }

    /** Writes the whole file to {@code out}: header, body, CRC-32. */
    static void write(Checkpoint checkpoint, OutputStream out) throws IOException {
        CheckpointEncoder sizer = new CheckpointEncoder(OutputStream.nullOutputStream(), false);
        sizer.body(checkpoint);
        long length = HEADER_BYTES + sizer.count + TRAILER_BYTES;

        CRC32 crc = new CRC32();
        CheckpointEncoder encoder = new CheckpointEncoder(new CheckedOutputStream(out, crc), true);
        encoder.bytes(CheckpointFormat.MAGIC);
        encoder.u32(CheckpointFormat.VERSION);
        encoder.u64(length);
        encoder.body(checkpoint);
        new CheckpointEncoder(out, true).u32((int) crc.getValue());
    }

    private void body(Checkpoint checkpoint) throws IOException {
        string(checkpoint.modelClass());
        string(checkpoint.architectureHash());
        if (checkpoint.optimizerConfig() == null) {
            u8(0);
        } else {
            u8(1);
            string(checkpoint.optimizerConfig());
        }
        u32(checkpoint.metadata().size());
        for (Map.Entry<String, String> entry : checkpoint.metadata().entrySet()) {
            string(entry.getKey());
            string(entry.getValue());
        }
        arrays("weight", checkpoint.weights());
        arrays("optimizer state", checkpoint.optimizerState());
    }

    private void arrays(String role, Map<String, INDArray> arrays) throws IOException {
        u32(arrays.size());
        for (Map.Entry<String, INDArray> entry : arrays.entrySet()) {
            INDArray array = entry.getValue();
            int code = CheckpointFormat.code(array.dataType());
            if (code < 0) {
                throw new IllegalArgumentException(role + " '" + entry.getKey() + "' is " + array.dataType()
                        + ", which a Kiln model file cannot hold; use one of " + CheckpointFormat.types());
            }
            string(entry.getKey());
            u8(code);
            u8(array.rank());
            for (long dimension : array.shape()) {
                u64(dimension);
            }
            data(array);
        }
    }

    /** The elements in row-major order; ND4J's memory is little-endian on every platform it runs on. */
    private void data(INDArray array) throws IOException {
        long bytes = array.length() * array.dataType().width();
        count += bytes;
        if (!writeData || bytes == 0) {
            return;
        }
        INDArray rowMajor = array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array) ? array : array.dup('c');
        BytePointer memory = new BytePointer(rowMajor.data().addressPointer());
        byte[] chunk = new byte[(int) Math.min(CHUNK, bytes)];
        for (long offset = 0; offset < bytes; offset += chunk.length) {
            int n = (int) Math.min(chunk.length, bytes - offset);
            memory.position(offset).get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    private void string(String text) throws IOException {
        byte[] utf8 = text.getBytes(UTF_8);
        u32(utf8.length);
        bytes(utf8);
    }

    private void bytes(byte[] bytes) throws IOException {
        out.write(bytes);
        count += bytes.length;
    }

    private void u8(int value) throws IOException {
        out.write(value);
        count++;
    }

    private void u32(int value) throws IOException {
        little(value, 4);
    }

    private void u64(long value) throws IOException {
        little(value, 8);
    }

    private void little(long value, int width) throws IOException {
        for (int i = 0; i < width; i++) {
            scratch[i] = (byte) (value >>> (8 * i));
        }
        out.write(scratch, 0, width);
        count += width;
    }
}
