package dev.kiln.runtime.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that cannot be read or loaded: not a regular file, not a Kiln model file, truncated, corrupt (its
 * checksum does not match), of a format version this Kiln cannot read, or whose content does not fit the model that
 * loads it (a missing weight, a bad data type, optimizer state of the wrong size, non-finite values). The message
 * starts with the file's path. A missing file is a {@link java.nio.file.NoSuchFileException} instead.
 */
public final class CheckpointFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /** A problem with {@code path}; the message is the path, a space, then {@code problem}. */
    public CheckpointFileException(Path path, String problem) {
        super(path + " " + problem);
        this.path = path;
    }

    /** The file that could not be read. */
    public Path path() {
        return path;
    }
}
