package dev.kiln.runtime.data;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CsvTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, UTF_8);
    }

    private static String failure(Path file, CsvOptions options) {
        return assertThrows(DataFileException.class, () -> Csv.load(file, options)).getMessage();
    }

    @Test
    void featuresAndClassIdsFromTheLastColumn() throws IOException {
        Dataset data = Csv.load(file("d.csv", "1,2,0\n3.5,-4e1,2\n\n5, 6 ,1\n"));
        assertEquals(3, data.size());
        INDArray x = data.inputs().get(0);
        INDArray y = data.targets().get(0);
        assertEquals(DataType.FLOAT, x.dataType());
        assertArrayEquals(new long[] {3, 2}, x.shape());
        assertArrayEquals(new float[] {3.5f, -40f}, x.getRow(1).toFloatVector());
        assertEquals(DataType.FLOAT, y.dataType());
        assertArrayEquals(new float[] {0, 2, 1}, y.toFloatVector());
    }

    @Test
    void headerAndNamedLabelColumn() throws IOException {
        Path file = file("iris.csv", "species,length,width\n1,5.1,3.5\n0,4.9,3.0\n");
        Dataset data = Csv.load(file, CsvOptions.defaults().withLabelColumn("species"));
        assertArrayEquals(new float[] {1, 0}, data.targets().get(0).toFloatVector());
        assertArrayEquals(new float[] {5.1f, 3.5f}, data.inputs().get(0).getRow(0).toFloatVector());
        Dataset byIndex = Csv.load(file, CsvOptions.defaults().withHeader().withLabelColumn(0));
        assertEquals(data.inputs().get(0), byIndex.inputs().get(0));
    }

    @Test
    void rawTargetsAndNoLabels() throws IOException {
        Path file = file("r.csv", "1;2;0.5\n3;4;-1.25\n");
        Dataset regression = Csv.load(file, CsvOptions.defaults().withDelimiter(';').withRawTargets());
        assertArrayEquals(new long[] {2, 1}, regression.targets().get(0).shape());
        assertArrayEquals(new float[] {0.5f, -1.25f}, regression.targets().get(0).toFloatVector());
        Dataset inputs = Csv.load(file, CsvOptions.defaults().withDelimiter(';').withoutLabels());
        assertFalse(inputs.hasTargets());
        assertArrayEquals(new long[] {2, 3}, inputs.inputs().get(0).shape());
    }

    @Test
    void gzippedFile() throws IOException {
        Path file = IdxFiles.write(dir.resolve("d.csv.gz"), IdxFiles.gzip("1,2,3\n4,5,6\n".getBytes(UTF_8)));
        Dataset data = Csv.load(file);
        assertArrayEquals(new float[] {3, 6}, data.targets().get(0).toFloatVector());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.csv");
        assertEquals(file + ": no such file", assertThrows(NoSuchFileException.class, () -> Csv.load(file))
                .getMessage());
    }

    @Test
    void nonNumericCellNamesRowAndColumn() throws IOException {
        Path file = file("bad.csv", "a,b,label\n1,2,0\n3,x7,1\n");
        assertEquals(file + ", row 3, column 2 ('b'): 'x7' is not a number",
                failure(file, CsvOptions.defaults().withHeader()));
        assertEquals(file + ", row 1, column 1: 'a' is not a number; if this row names the columns, read the file "
                + "with CsvOptions.withHeader()", failure(file, CsvOptions.defaults()));
    }

    @Test
    void emptyAndNonFiniteCells() throws IOException {
        assertEquals(dir.resolve("e.csv") + ", row 2, column 2 is empty; expected a number",
                failure(file("e.csv", "1,2,0\n3,,1\n"), CsvOptions.defaults()));
        assertEquals(dir.resolve("n.csv") + ", row 1, column 1: 'NaN' is not a finite number",
                failure(file("n.csv", "NaN,2,0\n"), CsvOptions.defaults()));
    }

    @Test
    void raggedRows() throws IOException {
        Path file = file("ragged.csv", "1,2,0\n3,4,1\n5,1\n");
        assertEquals(file + ", row 3 has 2 columns; expected 3 like row 1", failure(file, CsvOptions.defaults()));
    }

    @Test
    void emptyFileAndHeaderOnly() throws IOException {
        Path empty = file("empty.csv", "\n\n");
        assertEquals(empty + " is empty; expected rows of numbers", failure(empty, CsvOptions.defaults()));
        Path header = file("header.csv", "a,b\n");
        assertEquals(header + " has a header row but no data rows",
                failure(header, CsvOptions.defaults().withHeader()));
    }

    @Test
    void labelsMustBeClassIds() throws IOException {
        Path file = file("l.csv", "1,2,0\n3,4,2.5\n");
        assertEquals(file + ", row 2, column 3: '2.5' is not a class id (a whole number >= 0); for numbers to "
                + "predict, read the file with CsvOptions.withRawTargets()", failure(file, CsvOptions.defaults()));
    }

    @Test
    void labelColumnMustExist() throws IOException {
        Path file = file("c.csv", "length,Species\n1,0\n");
        assertEquals(file + " has no column 'species' (did you mean 'Species'?); its columns are length, Species",
                failure(file, CsvOptions.defaults().withLabelColumn("species")));
        assertEquals("label column 5 is outside the 2 columns of " + file + ": use 0..1, or -2..-1 to count from the"
                + " end", failure(file, CsvOptions.defaults().withHeader().withLabelColumn(5)));
        Path single = file("single.csv", "1\n2\n");
        assertTrue(failure(single, CsvOptions.defaults()).startsWith(single + " has a single column, the label"));
    }

    @Test
    void truncatedGzip() throws IOException {
        byte[] zipped = IdxFiles.gzip("1,2,3\n".repeat(5000).getBytes(UTF_8));
        Path file = IdxFiles.write(dir.resolve("cut.csv.gz"), Arrays.copyOf(zipped, zipped.length / 2));
        assertEquals(file + " is truncated: its compressed data ends early", failure(file, CsvOptions.defaults()));
    }

    @Test
    void malformedQuoting() throws IOException {
        Path file = file("q.csv", "1,\"2\"x,0\n");
        assertTrue(failure(file, CsvOptions.defaults()).startsWith(file + " is not valid CSV: "));
    }
}
