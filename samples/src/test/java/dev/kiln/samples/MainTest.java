package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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
        assertEquals("kiln: no sample 'mnist'; the samples are [digits, fashion, first, news, residual, siamese]",
                err.toString().strip());
    }

    @Test
    void aMissingDataDirectorySaysHowToGetFashionMnist() {
        assertEquals(1, run("fashion", "--data", "/nonexistent/fashion", "--quiet"));
        assertTrue(err.toString().contains("apt-get install dataset-fashion-mnist"), err::toString);
    }

    @Test
    void dataIsOnlyForFashion() {
        assertEquals(2, run("digits", "--data", "/tmp"));
        assertTrue(err.toString().contains("--data is for fashion"), err::toString);
    }
}
