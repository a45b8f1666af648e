package dev.kiln.runtime.data;

/**
 * How {@link Csv} reads a file; immutable, each {@code with}-method returns a changed copy. The defaults
 * ({@link #defaults()}): comma-separated, no header row, the last column holds class ids, every other column a
 * feature.
 */
public final class CsvOptions {
    /** What the label column holds. */
    enum Targets { CLASS_IDS, RAW, NONE }

    private final char delimiter;
    private final boolean header;
    private final int labelIndex;
    private final String labelName;
    private final Targets targets;

    private CsvOptions(char delimiter, boolean header, int labelIndex, String labelName, Targets targets) {
        this.delimiter = delimiter;
        this.header = header;
        this.labelIndex = labelIndex;
        this.labelName = labelName;
        this.targets = targets;
    }

    /** Comma-separated, no header, class ids in the last column. */
    public static CsvOptions defaults() {
        return new CsvOptions(',', false, -1, null, Targets.CLASS_IDS);
    }

    /** The first row names the columns; it is not data. */
    public CsvOptions withHeader() {
        return new CsvOptions(delimiter, true, labelIndex, labelName, targets);
    }

    /** Cells separated by {@code delimiter}, e.g. {@code ';'} or {@code '\t'}. */
    public CsvOptions withDelimiter(char delimiter) {
        return new CsvOptions(delimiter, header, labelIndex, labelName, targets);
    }

    /** The label in column {@code index}, counted from 0; a negative index counts from the end (-1: the last). */
    public CsvOptions withLabelColumn(int index) {
        return new CsvOptions(delimiter, header, index, null, targets);
    }

    /** The label in the column the header names {@code name}; implies {@link #withHeader()}. */
    public CsvOptions withLabelColumn(String name) {
        return new CsvOptions(delimiter, true, 0, name, targets);
    }

    /**
     * The label column holds numbers to predict (regression), read as float32 targets of shape {@code (n, 1)}
     * instead of class ids of shape {@code (n)}.
     */
    public CsvOptions withRawTargets() {
        return new CsvOptions(delimiter, header, labelIndex, labelName, Targets.RAW);
    }

    /** No label column: every column is a feature and the data set has inputs only, for {@code predict}. */
    public CsvOptions withoutLabels() {
        return new CsvOptions(delimiter, header, labelIndex, labelName, Targets.NONE);
    }

    char delimiter() {
        return delimiter;
    }

    boolean header() {
        return header;
    }

    int labelIndex() {
        return labelIndex;
    }

    String labelName() {
        return labelName;
    }

    Targets targets() {
        return targets;
    }
}
