package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTest {

    private static Map<String, Double> logs(double loss, double accuracy) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", loss);
        logs.put("accuracy", accuracy);
        return logs;
    }

    private static History twoEpochs() {
        History history = new History();
        history.append(0, logs(0.9, 0.5), 1.25, 12345.4);
        history.append(1, logs(0.4512, 0.75), 1.0, 15000);
        return history;
    }

    @Test
    void valuesByKerasName() {
        History history = twoEpochs();
        assertEquals(List.of(0, 1), history.epochs());
        assertEquals(List.of("loss", "accuracy"), List.copyOf(history.keys()));
        assertEquals(List.of(0.9, 0.4512), history.get("loss"));
        assertEquals(0.75, history.last("accuracy"));
        assertEquals(List.of(1.25, 1.0), history.epochSeconds());
        assertEquals(List.of(12345.4, 15000.0), history.samplesPerSecond());
        assertEquals(Map.of("loss", List.of(0.9, 0.4512), "accuracy", List.of(0.5, 0.75)), history.asMap());
    }

    @Test
    void aMissingNameSaysWhatThereIs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> twoEpochs().get("val_loss"));
        assertEquals("History has no 'val_loss'; it has [loss, accuracy]; val_ values need Fit.validationSplit(...)"
                + " or Fit.validationData(...)", e.getMessage());
    }

    @Test
    void printsATable() {
        assertEquals("epoch  loss    accuracy  seconds  samples/s\n"
                + "1      0.9000  0.5000    1.3      12,345\n"
                + "2      0.4512  0.7500    1.0      15,000\n", twoEpochs().toString());
    }

    @Test
    void historyIsReadOnly() {
        History history = twoEpochs();
        assertThrows(UnsupportedOperationException.class, () -> history.get("loss").add(1.0));
        assertTrue(history.has("accuracy"));
    }
}
