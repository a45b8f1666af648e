package dev.kiln.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.keras.models.NestedClassifierModel;
import dev.kiln.keras.models.NestedCnnModel;
import dev.kiln.keras.models.RecurrentSeqModel;
import dev.kiln.keras.models.SiameseModel;
import dev.kiln.runtime.KilnModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fixtures make_fixtures.py writes, each in Keras's three layouts (.keras, .weights.h5, legacy .h5), loaded into
 * the hand-written model of the same architecture: each predicts the script's numpy outputs to 1e-5.
 */
class KerasFixturesTest {
    @TempDir
    Path dir;

    private void assertLoadsFromEveryLayout(String fixture, Supplier<KilnModel> models) throws Exception {
        Map<String, Object> expected = Fixtures.expected(fixture);
        for (String[] layout : new String[][] {{".keras", ".keras"}, {".weights.h5", ".weights.h5"},
                {"_legacy.h5", "legacy .h5"}}) {
            KilnModel model = models.get();
            KerasImport result = KerasFiles.loadWeights(model, Fixtures.file(dir, "fixtures/" + fixture + layout[0]));
            assertEquals(layout[1], result.format());
            assertEquals(layout[0].equals(".weights.h5") ? "order" : "name", result.matchedBy(), layout[0]);
            Map<String, INDArray> in = new LinkedHashMap<>();
            for (int i = 0; i < model.inputNames().size(); i++) {
                in.put(model.inputNames().get(i), Fixtures.array(expected, "inputs", i));
            }
            INDArray out = model.predict(in).get(model.outputs().get(0).name());
            Fixtures.assertClose(Fixtures.array(expected, "outputs", 0), out, 1e-5);
        }
    }

    @Test
    void aSharedLayer() throws Exception {
        assertLoadsFromEveryLayout("shared_siamese", () -> SiameseModel.create(1));
    }

    @Test
    void aNestedModel() throws Exception {
        assertLoadsFromEveryLayout("nested_classifier", () -> NestedClassifierModel.create(1));
    }

    /**
     * BatchNormalization inside a nested model: the legacy file lists the nested model's trained weights before the
     * moving statistics (conv, conv, gamma, beta, conv2, conv2, moving_mean, moving_variance), which Kiln deals out.
     */
    @Test
    void aNestedConvolutionalModelWithBatchNormalization() throws Exception {
        assertLoadsFromEveryLayout("nested_cnn", () -> NestedCnnModel.create(1));
    }

    /** Bidirectional's two copies and TimeDistributed's layer where each layout keeps them; LayerNormalization; GRU. */
    @Test
    void theWrappersInASequentialModel() throws Exception {
        assertLoadsFromEveryLayout("recurrent_seq", () -> RecurrentSeqModel.create(1));
        KilnModel model = RecurrentSeqModel.create(1);
        KerasImport result = KerasFiles.loadWeights(model, Fixtures.file(dir, "fixtures/recurrent_seq.keras"));
        assertEquals(Map.of("bi", "bi", "per_step", "per_step", "norm", "norm", "gru", "gru", "out", "out"),
                result.layerOfNode());
        assertEquals(List.of("bi/forward_lstm/kernel", "bi/forward_lstm/recurrent_kernel", "bi/forward_lstm/bias",
                "bi/backward_lstm/kernel", "bi/backward_lstm/recurrent_kernel", "bi/backward_lstm/bias",
                "per_step/kernel", "per_step/bias", "norm/gamma", "norm/beta", "gru/kernel", "gru/recurrent_kernel",
                "gru/bias", "out/kernel", "out/bias"), List.copyOf(model.getWeights().keySet()));
    }

    /** An axis is a position in the node's input: Keras 2's 3 (or [3]) is Keras 3's -1 on an image; 1 is another. */
    @Test
    void aNormalizationAxisIsComparedAsAPosition() throws Exception {
        Path file = Fixtures.file(dir, "fixtures/nested_cnn.keras");
        Path last = Mutations.rewriteEntry(file, dir.resolve("axis3.keras"), "config.json",
                c -> c.replace("\"axis\": -1", "\"axis\": [3]"));
        KerasFiles.loadWeights(NestedCnnModel.create(1), last);
        Path channels = Mutations.rewriteEntry(file, dir.resolve("axis1.keras"), "config.json",
                c -> c.replace("\"axis\": -1", "\"axis\": 1"));
        KerasFileException e = assertThrows(KerasFileException.class,
                () -> KerasFiles.loadWeights(NestedCnnModel.create(1), channels));
        assertEquals(channels + ": layer 'features/bn' (BatchNormalization) has axis = 1, but the model's node"
                + " 'features/bn' has axis = -1", e.getMessage());
    }

    /** A wrapper's layer is checked as a layer: its settings against the node's. */
    @Test
    void aWrappedLayersSettingsMustAgree() throws Exception {
        Path file = Fixtures.file(dir, "fixtures/recurrent_seq.keras");
        Path edited = Mutations.rewriteEntry(file, dir.resolve("relu.keras"), "config.json",
                c -> c.replace("\"units\": 6, \"activation\": \"tanh\"", "\"units\": 6, \"activation\": \"relu\""));
        KerasFileException e = assertThrows(KerasFileException.class,
                () -> KerasFiles.loadWeights(RecurrentSeqModel.create(1), edited));
        assertEquals(edited + ": layer 'per_step' (TimeDistributed) has layer.activation = \"relu\", but the model's"
                + " node 'per_step' has layer.activation = \"tanh\"", e.getMessage());
        Path forwards = Mutations.rewriteEntry(file, dir.resolve("forwards.keras"), "config.json",
                c -> c.replace("\"go_backwards\": true", "\"go_backwards\": false"));
        e = assertThrows(KerasFileException.class, () -> KerasFiles.loadWeights(RecurrentSeqModel.create(1), forwards));
        assertEquals(forwards + ": layer 'bi' (Bidirectional) has backward_layer.go_backwards = false, but the model's"
                + " node 'bi' has backward_layer.go_backwards = true", e.getMessage());
    }
}
