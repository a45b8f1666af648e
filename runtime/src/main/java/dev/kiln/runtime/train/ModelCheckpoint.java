package dev.kiln.runtime.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves the model (through {@link Trainable#save}) at the end of every epoch, or only when the monitored value
 * improved, as Keras's {@code ModelCheckpoint}: defaults {@code monitor = "val_loss"}, mode AUTO,
 * {@code saveBestOnly = false}.
 *
 * <p>The path may hold Keras's placeholders, in Python's format syntax: {@code {epoch}} (from 1, as displayed),
 * {@code {epoch:02d}}, or any logged value such as {@code {val_loss:.4f}}:
 * <pre>{@code new ModelCheckpoint("checkpoints/model-{epoch:02d}-{val_loss:.2f}.kiln")}</pre>
 * Missing parent directories are created.
 */
public final class ModelCheckpoint extends MonitorCallback<ModelCheckpoint> {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

    private final String pattern;
    private boolean saveBestOnly;
    private Double initialValueThreshold;
    private Double best;
    private Path lastSaved;

    /** Saves to {@code file} (overwritten each time). */
    public ModelCheckpoint(Path file) {
        this(Objects.requireNonNull(file, "file").toString());
    }

    /** Saves to the path {@code pattern} with its placeholders filled in. */
    public ModelCheckpoint(String pattern) {
        super("val_loss", 0);
        this.pattern = Objects.requireNonNull(pattern, "pattern");
    }

    /** Saves only when the monitored value beats the best so far. */
    public ModelCheckpoint saveBestOnly(boolean saveBestOnly) {
        this.saveBestOnly = saveBestOnly;
        return this;
    }

    /** With saveBestOnly: the value the first save must beat (Keras's {@code initial_value_threshold}). */
    public ModelCheckpoint initialValueThreshold(double threshold) {
        this.initialValueThreshold = threshold;
        return this;
    }

    /** The last file written, or null. */
    public Path lastSaved() {
        return lastSaved;
    }

    @Override
    public void onTrainBegin() {
        if (saveBestOnly) {
            resolveMonitor();
        }
        best = initialValueThreshold;
        Matcher m = PLACEHOLDER.matcher(pattern);
        Set<String> known = new HashSet<>(context().logNames());
        while (m.find()) {
            if (!m.group(1).equals("epoch") && !known.contains(m.group(1))) {
                throw new IllegalArgumentException("ModelCheckpoint's path '" + pattern + "' uses {" + m.group(1)
                        + "}, but fit logs only epoch and " + context().logNames());
            }
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Path file = Path.of(format(pattern, epoch + 1, logs));
        Double current = monitored(logs);
        if (saveBestOnly && current != null) {
            if (!isImprovement(current, best)) {
                say("Epoch " + (epoch + 1) + ": " + monitor() + " did not improve from " + bestText());
                return;
            }
            say(String.format(Locale.ROOT, "Epoch %d: %s improved from %s to %.5f, saving model to %s",
                    epoch + 1, monitor(), bestText(), current, file));
            best = current;
        } else {
            say("Epoch " + (epoch + 1) + ": saving model to " + file);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint cannot create the directory of " + file
                    + ": " + e.getMessage(), e);
        }
        context().model().save(file);
        lastSaved = file;
    }

    private String bestText() {
        return best == null ? "None" : String.format(Locale.ROOT, "%.5f", best);
    }

    /** Fills {@code {epoch}}, {@code {epoch:02d}}, {@code {val_loss:.2f}}, ... as Python's {@code str.format}. */
    static String format(String pattern, int epoch, Map<String, Double> logs) {
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder s = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String spec = m.group(2) == null ? "" : m.group(2);
            Object value = logs.get(key);
            if (key.equals("epoch")) {
                value = epoch;   // not in a ?: with the Double, which would make it 7.0
            }
            if (value == null) {
                throw new IllegalArgumentException("ModelCheckpoint's path '" + pattern + "' uses {" + key
                        + "}, which is not among epoch and " + logs.keySet());
            }
            m.appendReplacement(s, Matcher.quoteReplacement(render(value, spec, pattern)));
        }
        m.appendTail(s);
        return s.toString();
    }

    private static String render(Object value, String spec, String pattern) {
        if (spec.isEmpty()) {
            return value.toString();
        }
        char type = spec.charAt(spec.length() - 1);
        Number n = (Number) value;
        if (type == 'd') {
            return String.format(Locale.ROOT, "%" + spec, n.longValue());
        }
        if (type == 'f' || type == 'e' || type == 'g') {
            return String.format(Locale.ROOT, "%" + spec, n.doubleValue());
        }
        throw new IllegalArgumentException("ModelCheckpoint's path '" + pattern + "' has the format '" + spec
                + "'; use d (e.g. {epoch:02d}) or f, e, g (e.g. {val_loss:.4f})");
    }
}
