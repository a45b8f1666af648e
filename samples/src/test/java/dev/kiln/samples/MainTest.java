package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void withoutArgumentsListsTheSamples() {
        assertEquals(0, run());
        for (Catalog.Sample sample : Catalog.SAMPLES) {
            assertTrue(out.toString().contains("  " + sample.name() + " "), out::toString);
        }
        assertTrue(out.toString().contains("--epochs=N"), out::toString);
    }

    @Test
    void helpListsTheSamplesToo() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("siamese"), out::toString);
    }

    @Test
    void runsASampleAndPrintsThroughputAndTestMetrics() {
        assertEquals(0, run("digits", "--epochs", "2", "--quiet"), err::toString);
        String text = out.toString();
        assertTrue(text.matches("(?s)digits: trained 2 epochs in [0-9.]+ s, [0-9,]+ samples/s on average\\R"
                + "digits: test loss: [0-9.]+ - accuracy: [0-9.]+\\R"), text);
    }

    @Test
    void anUnknownSampleIsAnErrorThatListsTheSamples() {
        assertEquals(2, run("mnist"));
        assertEquals("kiln: no sample 'mnist'; the samples are [brackets, digits, fashion, fashion-cnn, fashion-resnet, first, gan, news, residual,"
                + " reverse, shakespeare, siamese]",
                err.toString().strip());
    }

    @Test
    void aMissingDataDirectoryIsNamedAsGiven() {
        assertEquals(2, run("fashion", "--data", "/nonexistent/fashion", "--quiet"));
        String message = err.toString().strip();
        assertTrue(message.startsWith("kiln: --data /nonexistent/fashion: no such directory; give a directory of"
                + " Fashion-MNIST's IDX files, or leave --data out to read "), message);
        assertTrue(message.endsWith("(apt-get install dataset-fashion-mnist puts them there)"), message);
        assertFalse(message.contains("-Dkiln."), message);
    }

    @Test
    void aDataDirectoryWithoutTheFilesIsNamedAsGiven(@TempDir Path empty) {
        assertEquals(1, run("fashion", "--data", empty.toString(), "--quiet"));
        String message = err.toString().strip();
        assertTrue(message.startsWith("kiln: fashion: --data " + empty + ": " + empty.resolve("train-images-idx3-ubyte")
                + ": no training images in " + empty), message);
        assertFalse(message.contains("-Dkiln."), message);
    }

    @Test
    void zeroOrNegativeEpochsAreNamedAsGiven() {
        assertEquals(2, run("digits", "--epochs", "0"));
        assertEquals("kiln: --epochs 0: a sample trains for at least 1 epoch; leave --epochs out for the sample's own"
                + " number", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(2, run("digits", "--epochs", "-1"));
        assertEquals("kiln: --epochs -1: a sample trains for at least 1 epoch; leave --epochs out for the sample's own"
                + " number", err.toString().strip());
        assertEquals("", out.toString(), "nothing trained");
    }

    @Test
    void aBatchSizeBelowOneIsNamedAsGiven() {
        assertEquals(2, run("digits", "--batch-size", "0"));
        assertEquals("kiln: --batch-size 0: a batch holds at least 1 sample; leave --batch-size out for the sample's"
                + " own size", err.toString().strip());
    }

    @Test
    void dataIsOnlyForFashion() {
        assertEquals(2, run("digits", "--data", "/tmp"));
        assertTrue(err.toString().contains("--data is for fashion"), err::toString);
    }
}
