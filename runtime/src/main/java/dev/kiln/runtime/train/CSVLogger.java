package dev.kiln.runtime.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes each epoch's logs as a CSV row, as Keras's {@code CSVLogger}: a header {@code epoch} then the log names in
 * alphabetical order, one row per epoch with the epoch index from 0 and each value as Java's
 * {@link Double#toString} ({@code NA} where an epoch lacks a value). The file is flushed after every row; with
 * {@code append}, rows go after an existing file's and the header is written only into an empty file.
 */
public final class CSVLogger implements Callback {

    private final Path file;
    private final char separator;
    private final boolean append;
    private TrainingContext context;
    private List<String> keys;

    /** Overwrites {@code file}, comma-separated. */
    public CSVLogger(Path file) {
        this(file, ',', false);
    }

    /** Writes {@code file}, comma-separated, appending when {@code append}. */
    public CSVLogger(Path file, boolean append) {
        this(file, ',', append);
    }

    /** Writes {@code file} with {@code separator} between columns, appending when {@code append}. */
    public CSVLogger(Path file, char separator, boolean append) {
        this.file = Objects.requireNonNull(file, "file");
        this.separator = separator;
        this.append = append;
    }

    @Override
    public void setContext(TrainingContext context) {
        this.context = context;
    }

    @Override
    public void onTrainBegin() {
        keys = new ArrayList<>(context.logNames());
        Collections.sort(keys);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean header = !append || !Files.exists(file) || Files.size(file) == 0;
            if (!append) {
                Files.writeString(file, "", StandardCharsets.UTF_8);
            }
            if (header) {
                List<String> names = new ArrayList<>(List.of("epoch"));
                names.addAll(keys);
                write(String.join(String.valueOf(separator), names));
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        StringBuilder row = new StringBuilder().append(epoch);
        for (String key : keys) {
            Double v = logs.get(key);
            row.append(separator).append(v == null ? "NA" : v.toString());
        }
        try {
            write(row.toString());
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private void write(String line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private UncheckedIOException failure(IOException e) {
        return new UncheckedIOException("CSVLogger cannot write " + file + ": " + e.getMessage()
                + "; check that its directory is writable", e);
    }
}
