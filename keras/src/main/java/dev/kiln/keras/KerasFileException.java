package dev.kiln.keras;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A Keras file that Kiln refuses or cannot use: not a Keras file, damaged, carrying code or classes Kiln does not load
 * ({@code Lambda}, custom objects, unknown modules), or holding an architecture or weights that do not fit the model. The
 * message starts with the file's path and says what is wrong, naming the layer and both shapes for a mismatch.
 */
public final class KerasFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /** A problem with {@code path}; the message is the path, a colon, then {@code problem}. */
    public KerasFileException(Path path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    /** The file. */
    public Path path() {
        return path;
    }
}
