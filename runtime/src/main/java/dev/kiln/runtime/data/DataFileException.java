package dev.kiln.runtime.data;

import java.io.IOException;

/**
 * A data file that exists but does not hold what its loader expects: not the right format, truncated, a cell that
 * is not a number, rows of different lengths. The message names the file and says what was expected.
 *
 * <p>A file that does not exist is reported as {@link java.nio.file.NoSuchFileException} instead, so that the two
 * can be told apart; both are {@link IOException}s.
 */
public final class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A problem found in the file's content. */
    public DataFileException(String message) {
        super(message);
    }

    /** A problem found in the file's content while reading it failed with {@code cause}. */
    public DataFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
