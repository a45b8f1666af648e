package dev.kiln.runtime.io;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/** The constants of the model file format; {@link CheckpointFile} describes the layout. */
final class CheckpointFormat {
    /** PNG-style: a non-ASCII byte, the name, then CR LF and Ctrl-Z, which text-mode transfers would mangle. */
    static final byte[] MAGIC = {(byte) 0x89, 'K', 'I', 'L', 'N', '\r', '\n', 0x1a};
    static final int VERSION = 1;
    /** Magic, version (u32), file length (u64). */
    static final int HEADER_BYTES = MAGIC.length + 4 + 8;
    /** The CRC-32 (u32). */
    static final int TRAILER_BYTES = 4;
    static final int MAX_RANK = 32;

    /** The data types a file holds; an array's code is its position here plus one. Append only. */
    private static final List<DataType> TYPES = List.of(DataType.FLOAT, DataType.DOUBLE, DataType.INT,
            DataType.LONG, DataType.HALF, DataType.BFLOAT16, DataType.SHORT, DataType.BYTE, DataType.UBYTE,
            DataType.BOOL);

    private CheckpointFormat() {
    }

    /** The code of {@code type}, or -1 when a file cannot hold it. */
    static int code(DataType type) {
        int index = TYPES.indexOf(type);
        return index < 0 ? -1 : index + 1;
    }

    /** The type of {@code code}, or null for an unknown code. */
    static DataType type(int code) {
        return code >= 1 && code <= TYPES.size() ? TYPES.get(code - 1) : null;
    }

    static List<DataType> types() {
        return TYPES;
    }
}
