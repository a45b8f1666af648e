package dev.kiln.runtime.io;

import static dev.kiln.runtime.io.CheckpointFormat.HEADER_BYTES;
import static dev.kiln.runtime.io.CheckpointFormat.MAGIC;
import static dev.kiln.runtime.io.CheckpointFormat.TRAILER_BYTES;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a model file, checking it as it goes: the magic, the version, the length in the header against the file's
 * size (truncation), every length field against the bytes left (corruption), and finally the CRC-32.
 */
final class CheckpointDecoder {
    private static final int CHUNK = 1 << 20;

    private final Path file;
    private final long size;
    private final CRC32 crc = new CRC32();
    private final InputStream in;
    private final byte[] scratch = new byte[8];
    private long position;
    private long end;

    private CheckpointDecoder(Path file, InputStream in, long size) {
        this.file = file;
        this.size = size;
        this.in = new CheckedInputStream(in, crc);
    }

    /** Reads the checkpoint in {@code in}, the content of {@code file}, {@code size} bytes long. */
    static Checkpoint read(Path file, InputStream in, long size) throws IOException {
        try {
            return new CheckpointDecoder(file, in, size).checkpoint();
        } catch (EOFException e) {
            throw new CheckpointFileException(file, "is truncated: it ended while being read");
        }
    }

    private Checkpoint checkpoint() throws IOException {
        header();
        String modelClass = string("the model class");
        String architectureHash = string("the architecture hash");
        String optimizerConfig = u8() == 0 ? null : string("the optimizer configuration");
        Map<String, String> metadata = new LinkedHashMap<>();
        for (long i = count("metadata"); i > 0; i--) {
            String key = string("a metadata key");
            putNew(metadata, key, string("metadata '" + key + "'"), "metadata");
        }
        Map<String, INDArray> weights = arrays("weight");
        Map<String, INDArray> optimizerState = arrays("optimizer state");
        if (position != end) {
            throw corrupt((end - position) + " bytes follow the last entry");
        }
        long computed = crc.getValue();
        long stored = u32();
        if (stored != computed) {
            throw corrupt(String.format("its checksum does not match (stored 0x%08x, computed 0x%08x)", stored,
                    computed));
        }
        return new Checkpoint(modelClass, architectureHash, weights, optimizerConfig, optimizerState, metadata);
    }

    private void header() throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, 0, magic.length, MAGIC, 0, magic.length)) {
            throw new CheckpointFileException(file, "is not a Kiln model file (bad magic)");
        }
        if (size < HEADER_BYTES) {
            throw new CheckpointFileException(file, "is truncated: " + size + " bytes, less than its " + HEADER_BYTES
                    + "-byte header");
        }
        position = MAGIC.length;
        long version = u32();
        if (version != CheckpointFormat.VERSION) {
            throw new CheckpointFileException(file, "has format version " + version + ", which this Kiln cannot read"
                    + " (it reads version " + CheckpointFormat.VERSION + "); read it with the Kiln that wrote it");
        }
        long length = u64();
        if (size < length) {
            throw new CheckpointFileException(file, "is truncated: " + size + " of " + length + " bytes");
        }
        if (size > length || length < HEADER_BYTES + TRAILER_BYTES) {
            throw corrupt("its header gives a length of " + length + " bytes but the file has " + size);
        }
        end = length - TRAILER_BYTES;
    }

    private Map<String, INDArray> arrays(String role) throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (long i = count(role + " entries"); i > 0; i--) {
            String name = string("a " + role + " name");
            putNew(arrays, name, array(role + " '" + name + "'"), role);
        }
        return arrays;
    }

    private INDArray array(String what) throws IOException {
        int code = u8();
        DataType type = CheckpointFormat.type(code);
        if (type == null) {
            throw corrupt(what + " has an unknown data type code " + code);
        }
        int rank = u8();
        if (rank > CheckpointFormat.MAX_RANK) {
            throw corrupt(what + " has rank " + rank);
        }
        long[] shape = new long[rank];
        long length = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = u64();
            if (shape[d] < 0 || shape[d] > 0 && length > (end - position) / shape[d]) {
                throw corrupt(what + " has an impossible shape " + Arrays.toString(shape));
            }
            length *= shape[d];
        }
        long bytes = need(length * type.width(), what);
        if (length == 0) {
            return Nd4j.create(type, shape);
        }
        INDArray array = Nd4j.createUninitializedDetached(type, 'c', shape);
        BytePointer memory = new BytePointer(array.data().addressPointer());
        byte[] chunk = new byte[(int) Math.min(CHUNK, bytes)];
        for (long offset = 0; offset < bytes; offset += chunk.length) {
            int n = (int) Math.min(chunk.length, bytes - offset);
            readFully(chunk, n);
            memory.position(offset).put(chunk, 0, n);
        }
        return array;
    }

    private long count(String what) throws IOException {
        return need(u32(), what);
    }

    private String string(String what) throws IOException {
        long length = need(u32(), what);
        if (length > Integer.MAX_VALUE - 8) {
            throw corrupt(what + " claims " + length + " bytes, more than a string can hold");
        }
        byte[] utf8 = new byte[(int) length];
        readFully(utf8, utf8.length);
        return new String(utf8, UTF_8);
    }

    /** {@code bytes}, after checking that so many are left before the trailer. */
    private long need(long bytes, String what) throws CheckpointFileException {
        if (bytes > end - position) {
            throw corrupt(what + " claims " + bytes + " bytes but only " + (end - position) + " are left");
        }
        return bytes;
    }

    private <V> void putNew(Map<String, V> map, String key, V value, String role) throws CheckpointFileException {
        if (map.put(key, value) != null) {
            throw corrupt("it holds " + role + " '" + key + "' twice");
        }
    }

    private int u8() throws IOException {
        readFully(scratch, 1);
        return scratch[0] & 0xff;
    }

    private long u32() throws IOException {
        return little(4);
    }

    private long u64() throws IOException {
        return little(8);
    }

    private long little(int width) throws IOException {
        readFully(scratch, width);
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            value = (value << 8) | (scratch[i] & 0xff);
        }
        return value;
    }

    private void readFully(byte[] buffer, int n) throws IOException {
        if (in.readNBytes(buffer, 0, n) < n) {
            throw new EOFException();
        }
        position += n;
    }

    private CheckpointFileException corrupt(String detail) {
        return new CheckpointFileException(file, "is corrupt: " + detail);
    }
}
