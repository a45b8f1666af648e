package dev.kiln.runtime.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Saves and loads {@link Checkpoint}s: Kiln's model file format.
 *
 * <p>Writing is atomic: the file is written under a temporary name in the same directory, forced to disk, then moved
 * over {@code file} in one step. A crash or an error midway leaves any earlier file untouched, and no temporary file.
 *
 * <p>The format, version 1; integers are little-endian, strings a u32 byte count and UTF-8:
 * <pre>
 * header    magic      8 bytes   89 4B 49 4C 4E 0D 0A 1A   ("\211KILN\r\n\032", after PNG's)
 *           version    u32       1
 *           length     u64       the file's size in bytes, trailer included
 * body      modelClass, architectureHash            strings
 *           optimizerConfig                         u8 0 (none), or u8 1 and a string
 *           metadata                                u32 count, then (key, value) string pairs
 *           weights, optimizerState                 each u32 count, then entries:
 *             entry   name      string
 *                     dtype     u8     1 float32, 2 float64, 3 int32, 4 int64, 5 float16, 6 bfloat16,
 *                                      7 int16, 8 int8, 9 uint8, 10 bool
 *                     rank      u8
 *                     shape     rank x u64
 *                     data      the elements in row-major order, little-endian
 * trailer   crc        u32       CRC-32 of every byte before it
 * </pre>
 *
 * <p>Errors are {@link IOException}s: {@link NoSuchFileException} for a missing file, {@link CheckpointFileException}
 * (its message starting with the path) for one that is not a Kiln model file, is truncated, corrupt, or of another
 * format version. Data types are kept exactly.
 */
public final class CheckpointFile {
    private static final int BUFFER = 1 << 16;

    private CheckpointFile() {
    }

    /** Writes {@code checkpoint} to {@code file} atomically, replacing any earlier file. */
    public static void write(Path file, Checkpoint checkpoint) throws IOException {
        write(file, checkpoint, UnaryOperator.identity());
    }

    /** Reads the checkpoint in {@code file}. */
    public static Checkpoint read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            return CheckpointDecoder.read(file, in, size);
        }
    }

    /** {@link #write(Path, Checkpoint)}, with the file's stream passed through {@code decorate}: tests make it fail. */
    static void write(Path file, Checkpoint checkpoint, UnaryOperator<OutputStream> decorate) throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "no such directory to save "
                    + target.getFileName() + " in");
        }
        Path temporary = directory.resolve("." + target.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(decorate.apply(Channels.newOutputStream(channel)), BUFFER);
                CheckpointEncoder.write(checkpoint, out);
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(directory);
    }

    /** Forces the directory entry of the moved file to disk, where the platform allows (Linux, macOS). */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory as a channel; its move is already durable enough to keep the old or
            // the new file, which is the guarantee this method strengthens.
        }
    }
}
