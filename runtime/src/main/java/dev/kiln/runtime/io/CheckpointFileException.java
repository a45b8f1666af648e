package dev.kiln.runtime.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that cannot be read: not a Kiln model file, truncated, corrupt (its checksum does not match), or of a
 * format version this Kiln cannot read. The message starts with the file's path. A missing file is a
 * {@link java.nio.file.NoSuchFileException} instead.
 */
public final class CheckpointFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    CheckpointFileException(Path path, String problem) {
        super(path + " " + problem);
        this.path = path;
    }

    /** The file that could not be read. */
    public Path path() {
        return path;
    }
}
