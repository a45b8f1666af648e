package dev.kiln.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** What a file is, told by its first bytes and never by its name: one real {@code model.keras} is a legacy HDF5 file. */
enum KerasFormat {
    /** A Keras 3 archive: a zip ({@code PK\3\4}). */
    KERAS_ZIP,
    /** HDF5 ({@code \211HDF\r\n\032\n}): a legacy full model or a Keras 3 {@code .weights.h5}, told apart inside. */
    HDF5;

    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    static KerasFormat sniff(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw Files.exists(path) ? new KerasFileException(path, "is not a regular file")
                    : new java.nio.file.NoSuchFileException(path.toString());
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(8);
        }
        if (head.length >= 4 && Arrays.equals(Arrays.copyOf(head, 4), ZIP)) {
            return KERAS_ZIP;
        }
        if (Arrays.equals(head, HDF5_MAGIC)) {
            return HDF5;
        }
        throw new KerasFileException(path, "is neither a .keras archive (zip) nor an HDF5 file (its first bytes are "
                + hex(head) + "); Kiln tells the format from the content, not the name");
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x ", x & 0xff));
        }
        return s.toString().trim();
    }
}
