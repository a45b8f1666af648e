package dev.kiln.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first check of an HDF5 file, before the HDF5 library sees it: its superblock's end-of-file address must lie
 * within the file. A file cut short fails here with a plain message, instead of deep in the library, which on a cut
 * file can read past the end (garbage weights) or size buffers from what the missing part would have said.
 */
final class Hdf5Superblock {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private Hdf5Superblock() {
    }

    /**
     * Checks {@code file} (whose first 8 bytes are HDF5's signature); {@code named} is the path errors name, and
     * {@code what} how they call the file ("", or "its entry model.weights.h5 ").
     */
    static void check(Path file, Path named, String what) throws IOException {
        long length = Files.size(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(64);
        }
        if (head.length < 9) {
            throw truncated(named, what, "its HDF5 superblock", length);
        }
        if (!java.util.Arrays.equals(head, 0, 8, SIGNATURE, 0, 8)) {
            throw new KerasFileException(named, what + "is not an HDF5 file (it lacks HDF5's signature)");
        }
        int version = head[8] & 0xff;
        int offsets;
        int eofAt;
        int baseAt;
        if (version == 0 || version == 1) {
            if (head.length < 14) {
                throw truncated(named, what, "its HDF5 superblock", length);
            }
            offsets = head[13] & 0xff;
            baseAt = version == 0 ? 24 : 28;
            eofAt = baseAt + 2 * offsets;
        } else if (version == 2 || version == 3) {
            offsets = head[9] & 0xff;
            baseAt = 12;
            eofAt = baseAt + 2 * offsets;
        } else {
            throw new KerasFileException(named, what + "has an HDF5 superblock of version " + version + ", which no"
                    + " HDF5 library writes (0 to 3)");
        }
        if (offsets != 2 && offsets != 4 && offsets != 8) {
            throw new KerasFileException(named, what + "is a damaged HDF5 file: its superblock gives addresses "
                    + offsets + " bytes (2, 4 or 8 are valid)");
        }
        if (head.length < eofAt + offsets) {
            throw truncated(named, what, "its HDF5 superblock", length);
        }
        long base = unsigned(head, baseAt, offsets);
        long eof = unsigned(head, eofAt, offsets);
        if (base < 0 || eof < 0 || base > Long.MAX_VALUE - eof) {
            throw new KerasFileException(named, what + "is a damaged HDF5 file: its superblock states no end of file");
        }
        if (base + eof > length) {
            throw new KerasFileException(named, what + "is truncated: its HDF5 superblock says the file ends at byte "
                    + (base + eof) + ", but it has " + length + " bytes");
        }
    }

    private static KerasFileException truncated(Path named, String what, String part, long length) {
        return new KerasFileException(named, what + "is truncated: " + length + " bytes, too few for " + part);
    }

    /** An unsigned little-endian number of {@code size} bytes; -1 when it does not fit a long. */
    private static long unsigned(byte[] b, int at, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return size == 8 && v < 0 ? -1 : v;
    }
}
