package dev.kiln.runtime.data;

import static dev.kiln.runtime.data.IdxFiles.gzip;
import static dev.kiln.runtime.data.IdxFiles.images;
import static dev.kiln.runtime.data.IdxFiles.labels;
import static dev.kiln.runtime.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class FashionMnistTest {
    @TempDir
    Path dir;

    /** MNIST's names, gzipped: 6 training and 4 test images of 28x28. */
    private void writeGzipped() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(6, 28, 28)));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(6)));
        write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(images(4, 28, 28)));
        write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labels(4)));
    }

    @Test
    void loadsADirectoryOfGzippedFiles() throws IOException {
        writeGzipped();
        TrainTest data = FashionMnist.load(dir);
        assertEquals(6, data.train().size());
        assertEquals(4, data.test().size());
        INDArray x = data.train().inputs().get(0);
        assertArrayEquals(new long[] {6, 784}, x.shape());
        assertEquals(((5 + 700) % 256) / 255f, x.getFloat(5, 700), 1e-7f);
        assertArrayEquals(new float[] {0, 1, 2, 3}, data.test().targets().get(0).toFloatVector());
    }

    @Test
    void acceptsUncompressedFilesAndTheDottedNames() throws IOException {
        write(dir.resolve("train-images.idx3-ubyte"), images(3, 28, 28));
        write(dir.resolve("train-labels.idx1-ubyte"), labels(3));
        write(dir.resolve("t10k-images-idx3-ubyte"), images(2, 28, 28));
        write(dir.resolve("t10k-labels-idx1-ubyte"), labels(2));
        TrainTest data = FashionMnist.load(dir);
        assertEquals(3, data.train().size());
        assertEquals(2, data.test().size());
    }

    @Test
    void missingDirectorySaysWhatToInstall() {
        Path absent = dir.resolve("nowhere");
        String message = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(absent)).getMessage();
        assertTrue(message.startsWith(absent + ": no such directory"), message);
        assertTrue(message.contains("apt-get install dataset-fashion-mnist"), message);
        assertFalse(message.contains("-D" + FashionMnist.DIRECTORY_PROPERTY), "the caller chose the directory: " + message);
    }

    @Test
    void missingFileNamesWhatWasExpected() throws IOException {
        writeGzipped();
        java.nio.file.Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        String message = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir)).getMessage();
        assertTrue(message.startsWith(dir.resolve("t10k-labels-idx1-ubyte") + ": no test labels in " + dir
                + ": expected t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz"), message);
    }

    @Test
    void countsMustAgree() throws IOException {
        writeGzipped();
        write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(5)));
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz") + " has 6 images but "
                + dir.resolve("train-labels-idx1-ubyte.gz") + " has 5 labels",
                assertThrows(DataFileException.class, () -> FashionMnist.load(dir)).getMessage());
    }

    @Test
    void swappedFiles() throws IOException {
        writeGzipped();
        write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(labels(4)));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte.gz") + " holds labels, not images (magic 0x00000801; "
                + "expected 0x00000803)", assertThrows(DataFileException.class, () -> FashionMnist.load(dir))
                .getMessage());
    }

    @Test
    void directoryFromTheSystemProperty() throws IOException {
        writeGzipped();
        String before = System.getProperty(FashionMnist.DIRECTORY_PROPERTY);
        try {
            System.setProperty(FashionMnist.DIRECTORY_PROPERTY, dir.toString());
            assertEquals(dir, FashionMnist.directory());
            assertTrue(FashionMnist.isAvailable());
            assertEquals(6, FashionMnist.load().train().size());
            System.setProperty(FashionMnist.DIRECTORY_PROPERTY, dir.resolve("nowhere").toString());
            assertFalse(FashionMnist.isAvailable());
        } finally {
            if (before == null) {
                System.clearProperty(FashionMnist.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(FashionMnist.DIRECTORY_PROPERTY, before);
            }
        }
    }

    @Test
    void theInstalledDataSet() throws IOException {
        assumeTrue(FashionMnist.isAvailable(), () -> "Fashion-MNIST is not in " + FashionMnist.directory()
                + "; install it with `apt-get install dataset-fashion-mnist` to run this test");
        TrainTest data = FashionMnist.load();
        assertEquals(60000, data.train().size());
        assertEquals(10000, data.test().size());
        INDArray x = data.train().inputs().get(0);
        assertArrayEquals(new long[] {60000, 784}, x.shape());
        assertEquals(0.0, x.minNumber().doubleValue());
        assertEquals(1.0, x.maxNumber().doubleValue());
        assertEquals(0.0, data.test().targets().get(0).minNumber().doubleValue());
        assertEquals(9.0, data.test().targets().get(0).maxNumber().doubleValue());
    }
}
