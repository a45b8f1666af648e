package dev.kiln.runtime.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Saves and loads {@link Checkpoint}s: Kiln's model file format.
 *
 * <p>Writing is atomic: the file is written under a temporary name in the same directory,
 * {@code .<name>.<random>.tmp}, forced to disk, then moved over {@code file} in one step. What is guaranteed:
 * <ul>
 *   <li>at any moment, and after a crash or a kill at any moment, {@code file} is absent or holds one whole version:
 *       the earlier one or the new one, never a mix or a part (where the file system's rename is atomic, as on every
 *       local file system Kiln runs on);
 *   <li>a write that fails with an exception removes its temporary file before it throws;
 *   <li>a process killed while writing (or a machine losing power) cannot remove its temporary file: that file is left
 *       behind, and is removed by the next write to the same {@code file}, which first deletes every
 *       {@code .<name>.<random>.tmp} beside it that no running write holds (each write holds a lock on its temporary
 *       file until it has been moved). Files of any other name are never touched.
 * </ul>
 * Writes to one {@code file} from several threads or processes at once are not supported: each leaves a whole
 * version, but one of them may (rarely) fail, having taken the other's just-created temporary file for a dead one.
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
 * (its message starting with the path) for one that is not a regular file (a directory, a named pipe, a device: these
 * are refused before they are opened, so a pipe never blocks), is not a Kiln model file, is truncated, corrupt, or of
 * another format version. Data types are kept exactly.
 */
public final class CheckpointFile {
    private static final int BUFFER = 1 << 16;

    private CheckpointFile() {
    }

    /**
     * Writes {@code checkpoint} to {@code file} atomically, replacing any earlier file, after removing the temporary
     * files that killed writes to {@code file} left (see the class comment for what is guaranteed).
     */
    public static void write(Path file, Checkpoint checkpoint) throws IOException {
        write(file, checkpoint, UnaryOperator.identity());
    }

    /** Reads the checkpoint in {@code file}. */
    public static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (Files.isDirectory(file)) {
                throw new CheckpointFileException(file, "is a directory, not a Kiln model file");
            }
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString(), null, "no such file");
            }
            throw new CheckpointFileException(file, "is not a regular file (a named pipe, a socket or a device), so"
                    + " not a Kiln model file");
        }
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
        String name = target.getFileName().toString();
        removeStaleTemporaries(directory, name);
        Path temporary = directory.resolve("." + name + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            try {
                // Tells removeStaleTemporaries of another write that this one is alive. Nobody else can hold a lock
                // on a file just created, but for such a write at this very moment: then it fails as documented.
                channel.tryLock();
                OutputStream out = new BufferedOutputStream(decorate.apply(Channels.newOutputStream(channel)), BUFFER);
                CheckpointEncoder.write(checkpoint, out);
                out.flush();
                channel.force(true);
                // Moved while still open and locked, so that no other write takes it for stale; Java opens files
                // so that even Windows allows this.
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException | Error e) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
        syncDirectory(directory);
    }

    /**
     * Deletes the temporary files that writes to {@code directory/name} left when they were killed: those named
     * {@code .<name>.<random>.tmp}, as {@link #write} names them, that no live write holds locked. Best effort: one
     * that cannot be deleted now is left for the next write.
     */
    private static void removeStaleTemporaries(Path directory, String name) {
        Pattern ours = Pattern.compile(Pattern.quote("." + name + ".") + "[0-9a-z]{1,13}" + Pattern.quote(".tmp"));
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> ours.matcher(entry.getFileName().toString()).matches() && Files.isRegularFile(entry,
                        LinkOption.NOFOLLOW_LINKS))) {
            entries.forEach(stale::add);
        } catch (IOException | DirectoryIteratorException e) {
            return;
        }
        for (Path temporary : stale) {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock != null) { // no live write holds it: its writer died
                    Files.deleteIfExists(temporary);
                }
            } catch (OverlappingFileLockException e) {
                // a write in this JVM holds it
            } catch (IOException e) {
                // gone already, or not ours to delete: the next write tries again
            }
        }
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
