package dev.kiln.runtime.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opens data files, gunzipping those that start with gzip's magic bytes whatever their name. */
final class Sources {
    private static final int BUFFER = 1 << 16;

    private Sources() {
    }

    /** A buffered stream of the file's content, gunzipped when the file is gzip-compressed. */
    static InputStream open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DataFileException(file + " is a directory; expected a file");
        }
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        return decompressed(new BufferedInputStream(raw, BUFFER));
    }

    /** {@code in} itself, or a gunzipping stream over it when its first two bytes are gzip's magic 0x1f 0x8b. */
    static InputStream decompressed(BufferedInputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
        }
        return in;
    }

    /**
     * Explains a failure of the gzip layer: a stream that ends early is a truncated file, any other
     * {@link ZipException} a damaged one; other exceptions are returned unchanged.
     */
    static IOException explain(String source, IOException e) {
        if (e instanceof EOFException) {
            return new DataFileException(source + " is truncated: its compressed data ends early", e);
        }
        if (e instanceof ZipException) {
            return new DataFileException(source + " is damaged: its gzip data cannot be read (" + e.getMessage() + ")",
                    e);
        }
        return e;
    }
}
