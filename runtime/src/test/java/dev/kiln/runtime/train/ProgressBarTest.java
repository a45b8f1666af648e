package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The progress display's text, on a manual clock (nothing here depends on real time). */
class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final ManualClock clock = new ManualClock(0);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Double> logs(double loss) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", loss);
        logs.put("accuracy", 0.8311);
        return logs;
    }

    private static Map<String, Double> epochLogs() {
        Map<String, Double> logs = logs(0.4);
        logs.put("val_loss", 0.3);
        return logs;
    }

    @Test
    void verboseOneRewritesOneLineAtMostTenTimesASecond() {
        ProgressBar bar = new ProgressBar(1, out, clock);
        bar.epochBegin(2, 10, 3);
        clock.advanceMillis(100);
        bar.batchEnd(1, logs(0.5));
        clock.advanceMillis(50);
        bar.batchEnd(2, logs(0.45));   // 50 ms after the last redraw: skipped
        clock.advanceMillis(100);
        bar.batchEnd(3, logs(0.4));
        bar.epochEnd(3, epochLogs(), 2.4, 2.0, 12345.6);
        assertEquals("Epoch 3/10\n"
                + "\r1/3 [=========>....................] - ETA: 0s - loss: 0.5000 - accuracy: 0.8311"
                + "\r3/3 [==============================] - ETA: 0s - loss: 0.4000 - accuracy: 0.8311"
                + "\r3/3 [==============================] - 2s 667ms/step - loss: 0.4000 - accuracy: 0.8311"
                + " - val_loss: 0.3000 - 12,346 samples/s\n", text());
    }

    @Test
    void verboseOnePadsTheCounterEstimatesTheEtaAndWipesALongerLine() {
        ProgressBar bar = new ProgressBar(1, out, clock);
        bar.epochBegin(0, 1, 469);
        clock.advanceMillis(500);
        bar.batchEnd(1, logs(1e-4));
        clock.advanceMillis(1100);             // 11 more steps at 100 ms: ETA 457 * 0.1 s = 45 s
        bar.batchEnd(12, Map.of("loss", 0.25));
        String[] draws = text().split("\r");
        assertEquals("Epoch 1/1\n", draws[0]);
        assertEquals("  1/469 [..............................] - ETA: 3:54 - loss: 1.0000e-04 - accuracy: 0.8311",
                draws[1]);
        String second = " 12/469 [..............................] - ETA: 45s - loss: 0.2500";
        assertEquals(second + " ".repeat(draws[1].length() - second.length()), draws[2]);
    }

    @Test
    void verboseTwoPrintsOneLinePerEpoch() {
        ProgressBar bar = new ProgressBar(2, out, clock);
        bar.epochBegin(2, 10, 3);
        bar.batchEnd(1, logs(0.5));
        bar.batchEnd(2, logs(0.5));
        bar.batchEnd(3, logs(0.5));
        bar.epochEnd(3, epochLogs(), 2.4, 0.012, 12345.6);
        assertEquals("Epoch 3/10 - 2s - 4ms/step - loss: 0.4000 - accuracy: 0.8311 - val_loss: 0.3000"
                + " - 12,346 samples/s\n", text());
    }

    @Test
    void verboseZeroPrintsNothing() {
        ProgressBar bar = new ProgressBar(0, out, clock);
        bar.epochBegin(0, 1, 1);
        bar.batchEnd(1, logs(0.5));
        bar.epochEnd(1, epochLogs(), 1, 1, 1);
        bar.abort();
        assertEquals("", text());
    }

    @Test
    void kerasNumberFormats() {
        assertEquals("0.4512", KerasFormat.value(0.45123));
        assertEquals("1.0000e-03", KerasFormat.value(0.001));
        assertEquals("0.0000e+00", KerasFormat.value(0));
        assertEquals("NaN", KerasFormat.value(Double.NaN));
        assertEquals("59s", KerasFormat.eta(59.9));
        assertEquals("1:15", KerasFormat.eta(75));
        assertEquals("1:02:05", KerasFormat.eta(3725));
        assertEquals("2s/step", KerasFormat.perUnit(2.0, "step"));
        assertEquals("4ms/step", KerasFormat.perUnit(0.004, "step"));
        assertEquals("500us/step", KerasFormat.perUnit(0.0005, "step"));
        assertEquals("0s/step", KerasFormat.perUnit(0, "step"));
        assertEquals("1,234,567 samples/s", KerasFormat.throughput(1234567.4));
    }

    @Test
    void fitWithVerboseOneDrawsABarPerEpoch() {
        ScriptedModel model = ScriptedModel.single();
        new Trainer(new ManualClock(40_000_000)).fit(model, ArraySource.ids(10), Fit.epochs(2).batchSize(4)
                .verbose(1).printTo(out).validationData(ArraySource.ids(2)));
        String[] lines = text().split("\n");
        assertEquals(4, lines.length, text());
        assertEquals("Epoch 1/2", lines[0]);
        assertEquals("Epoch 2/2", lines[2]);
        String last = lines[3].substring(lines[3].lastIndexOf('\r') + 1);
        assertTrue(Pattern.matches("3/3 \\[=+] - \\d+s \\d+(s|ms|us)/step - loss: 1\\.0000 - val_loss: 1\\.0000"
                + " - [\\d,]+ samples/s", last), last);
        assertTrue(lines[3].contains(" - ETA: "), lines[3]);
    }

    @Test
    void fitWithVerboseTwoPrintsEpochLinesOnly() {
        ScriptedModel model = ScriptedModel.single();
        new Trainer(new ManualClock(1_000_000)).fit(model, ArraySource.ids(10), Fit.epochs(2).batchSize(4)
                .verbose(2).printTo(out));
        String[] lines = text().split("\n");
        assertEquals(2, lines.length, text());
        for (int i = 0; i < 2; i++) {
            assertTrue(Pattern.matches("Epoch " + (i + 1) + "/2 - \\d+s - \\d+(s|ms|us)/step - loss: 1\\.0000"
                    + " - [\\d,]+ samples/s", lines[i]), lines[i]);
        }
        assertTrue(!text().contains("\r"));
    }

    @Test
    void anExceptionEndsTheHalfDrawnLine() {
        ScriptedModel model = ScriptedModel.single();
        model.trainLoss = step -> step == 1 ? Double.NaN : 1.0;
        try {
            new Trainer(new ManualClock(1_000_000)).fit(model, ArraySource.ids(10), Fit.epochs(1).batchSize(4)
                    .verbose(1).printTo(out));
        } catch (KilnTrainingException expected) {
            // the message goes to the caller
        }
        assertTrue(text().endsWith("loss: 1.0000\n"), text());
    }
}
