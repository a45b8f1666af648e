package dev.kiln.runtime.data;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads numeric CSV files (gzip-compressed or not, told by content) into a {@link Dataset}: float32 features of shape
 * {@code (n, columns - 1)} and, from the label column, class ids of shape {@code (n)} or raw targets of shape
 * {@code (n, 1)}; see {@link CsvOptions}. Every cell must be a finite number and every row as long as the first.
 *
 * <p>Problems are {@link DataFileException}s naming the file, the row and the column, counted from 1 as a spreadsheet
 * shows them (a header row is row 1); a missing file is a {@link java.nio.file.NoSuchFileException}.
 */
public final class Csv {
    private static final int LONGEST_QUOTED_CELL = 40;

    private Csv() {
    }

    /** Reads {@code file} with {@link CsvOptions#defaults()}: no header, class ids in the last column. */
    public static Dataset load(Path file) throws IOException {
        return load(file, CsvOptions.defaults());
    }

    /** Reads {@code file} as {@code options} say. */
    public static Dataset load(Path file, CsvOptions options) throws IOException {
        try (InputStream in = Sources.open(file)) {
            return read(new InputStreamReader(in, UTF_8), file.toString(), options);
        } catch (IOException e) {
            throw Sources.explain(file.toString(), e);
        }
    }

    /** Reads CSV text; {@code source} names it in messages. */
    static Dataset read(Reader reader, String source, CsvOptions options) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setDelimiter(options.delimiter())
                .setIgnoreSurroundingSpaces(true)
                .setIgnoreEmptyLines(true)
                .get();
        try (CSVParser parser = format.parse(reader)) {
            Table table = new Table(source, options);
            for (CSVRecord record : parser) {
                table.add(record);
            }
            return table.dataset();
        } catch (UncheckedIOException e) {
            throw explain(source, e.getCause());
        } catch (IOException e) {
            throw explain(source, e);
        }
    }

    private static IOException explain(String source, IOException e) {
        if (e instanceof CSVException) {
            return new DataFileException(source + " is not valid CSV: " + e.getMessage(), e);
        }
        return Sources.explain(source, e);
    }

    /** The rows read so far. */
    private static final class Table {
        private final String source;
        private final CsvOptions options;
        private final Floats features = new Floats();
        private final Floats labels = new Floats();
        private List<String> header;
        private int columns = -1;
        private long firstRow;
        private int labelColumn;
        private int rows;

        Table(String source, CsvOptions options) {
            this.source = source;
            this.options = options;
        }

        void add(CSVRecord record) throws DataFileException {
            long row = record.getRecordNumber();
            if (columns < 0) {
                columns = record.size();
                firstRow = row;
                if (options.header()) {
                    header = record.toList();
                }
                labelColumn = labelColumn();
                if (header != null) {
                    return;
                }
            }
            if (record.size() != columns) {
                throw new DataFileException(source + ", row " + row + " has " + record.size() + " columns; expected "
                        + columns + " like row " + firstRow);
            }
            for (int column = 0; column < columns; column++) {
                float value = number(record, row, column);
                if (column != labelColumn) {
                    features.add(value);
                } else if (options.targets() == CsvOptions.Targets.RAW || isClassId(value)) {
                    labels.add(value);
                } else {
                    throw new DataFileException(at(row, column) + ": " + quote(record.get(column))
                            + " is not a class id (a whole number >= 0); for numbers to predict, read the file with"
                            + " CsvOptions.withRawTargets()");
                }
            }
            rows++;
        }

        Dataset dataset() throws DataFileException {
            if (rows == 0) {
                throw new DataFileException(header == null
                        ? source + " is empty; expected rows of numbers"
                        : source + " has a header row but no data rows");
            }
            int featureCount = labelColumn < 0 ? columns : columns - 1;
            INDArray x = Nd4j.create(features.toArray(), new long[] {rows, featureCount}, DataType.FLOAT);
            return switch (options.targets()) {
                case NONE -> Dataset.of(x);
                case CLASS_IDS -> Dataset.of(x, Nd4j.create(labels.toArray(), new long[] {rows}, DataType.FLOAT));
                case RAW -> Dataset.of(x, Nd4j.create(labels.toArray(), new long[] {rows, 1}, DataType.FLOAT));
            };
        }

        private int labelColumn() throws DataFileException {
            if (options.targets() == CsvOptions.Targets.NONE) {
                return -1;
            }
            int column = labelIndex();
            if (columns == 1) {
                throw new DataFileException(source + " has a single column, the label, so no features; a data set "
                        + "needs at least one feature column");
            }
            return column;
        }

        private int labelIndex() throws DataFileException {
            String name = options.labelName();
            if (name != null) {
                int column = header.indexOf(name);
                if (column < 0) {
                    throw new DataFileException(source + " has no column '" + name + "'"
                            + ColumnNameSuggestions.didYouMean(name, header) + "; its columns are "
                            + String.join(", ", header));
                }
                return column;
            }
            int index = options.labelIndex();
            int column = index < 0 ? columns + index : index;
            if (column < 0 || column >= columns) {
                throw new DataFileException("label column " + index + " is outside the " + columns + " columns of "
                        + source + ": use 0.." + (columns - 1) + ", or -" + columns + "..-1 to count from the end");
            }
            return column;
        }

        private float number(CSVRecord record, long row, int column) throws DataFileException {
            String cell = record.get(column);
            if (cell.isEmpty()) {
                throw new DataFileException(at(row, column) + " is empty; expected a number");
            }
            float value;
            try {
                value = Float.parseFloat(cell);
            } catch (NumberFormatException e) {
                throw new DataFileException(at(row, column) + ": " + quote(cell) + " is not a number"
                        + (row == firstRow && header == null
                                ? "; if this row names the columns, read the file with CsvOptions.withHeader()" : ""));
            }
            if (!Float.isFinite(value)) {
                throw new DataFileException(at(row, column) + ": " + quote(cell) + " is not a finite number");
            }
            return value;
        }

        private String at(long row, int column) {
            return source + ", row " + row + ", column " + (column + 1)
                    + (header == null ? "" : " ('" + header.get(column) + "')");
        }

        private static boolean isClassId(float value) {
            return value >= 0 && value == Math.rint(value);
        }

        private static String quote(String cell) {
            return "'" + (cell.length() <= LONGEST_QUOTED_CELL ? cell : cell.substring(0, LONGEST_QUOTED_CELL) + "...")
                    + "'";
        }
    }

    /** A growing float array. */
    private static final class Floats {
        private float[] values = new float[1024];
        private int size;

        void add(float value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
