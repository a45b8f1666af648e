package dev.kiln.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.keras.models.ChurnMlpModel;
import dev.kiln.keras.models.ChurnNetModel;
import dev.kiln.keras.models.ChurnWideModel;
import dev.kiln.keras.models.MnistCnnModel;
import dev.kiln.keras.models.StockLstmModel;
import dev.kiln.runtime.KilnModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Real Keras files in, predictions out: each imports and predicts the outputs of an independent numpy pass to 1e-5. */
class KerasFilesTest {
    @TempDir
    Path dir;

    private static INDArray predict(KilnModel model, Map<String, Object> expected) {
        String input = model.inputNames().get(0);
        String output = model.outputs().get(0).name();
        return model.predict(Map.of(input, Fixtures.array(expected, "inputs", 0))).get(output);
    }

    private void assertPredicts(KilnModel model, String expectedName) {
        Map<String, Object> expected = Fixtures.expected(expectedName);
        Fixtures.assertClose(Fixtures.array(expected, "outputs", 0), predict(model, expected), 1e-5);
    }

    @Test
    void kerasArchiveByName() throws Exception {
        ChurnMlpModel model = ChurnMlpModel.create(1);
        KerasImport result = KerasFiles.loadWeights(model, Fixtures.file(dir, "k3_churn_mlp.keras"));
        assertEquals(".keras", result.format());
        assertEquals("Sequential", result.kerasModelClass());
        assertEquals("name", result.matchedBy());
        assertPredicts(model, "k3_churn_mlp");
    }

    @Test
    void kerasArchiveInOrder() throws Exception {
        ChurnNetModel model = ChurnNetModel.create(1);
        KerasImport result = KerasFiles.loadWeights(model, Fixtures.file(dir, "k3_churn_mlp.keras"));
        assertEquals("order", result.matchedBy());
        assertEquals("dense_7", result.layerOfNode().get("narrower"));
        assertPredicts(model, "k3_churn_mlp");
    }

    @Test
    void legacyH5() throws Exception {
        ChurnNetModel model = ChurnNetModel.create(1);
        KerasImport result = KerasFiles.loadWeights(model, Fixtures.file(dir, "k3_churn_mlp_legacy.h5"));
        assertEquals("legacy .h5", result.format());
        assertPredicts(model, "k3_churn_mlp_legacy");
    }

    @Test
    void legacyH5ByName() throws Exception {
        ChurnMlpModel model = ChurnMlpModel.create(1);
        assertEquals("name", KerasFiles.loadWeights(model, Fixtures.file(dir, "k3_churn_mlp_legacy.h5")).matchedBy());
        assertPredicts(model, "k3_churn_mlp_legacy");
    }

    @Test
    void keras3WeightsH5() throws Exception {
        ChurnNetModel model = ChurnNetModel.create(1);
        KerasImport result = KerasFiles.loadWeights(model, Fixtures.file(dir, "k3_churn_mlp.weights.h5"));
        assertEquals(".weights.h5", result.format());
        assertPredicts(model, "k3_churn_mlp_weights");
    }

    @Test
    void keras3WeightsH5ReproducesTheNotebooksPrintedPrediction() throws Exception {
        ChurnNetModel model = ChurnNetModel.create(1);
        KerasFiles.loadWeights(model, Fixtures.file(dir, "k3_churn_mlp.weights.h5"));
        @SuppressWarnings("unchecked")
        Map<String, Object> example = (Map<String, Object>) ((java.util.List<Object>) Fixtures
                .expected("k3_churn_mlp_weights").get("repo_examples")).get(0);
        @SuppressWarnings("unchecked")
        INDArray input = Fixtures.array((Map<String, Object>) example.get("input"));
        @SuppressWarnings("unchecked")
        INDArray computed = Fixtures.array((Map<String, Object>) example.get("computed_output"));
        Fixtures.assertClose(computed, model.predict(Map.of("customer", input)).get("churn"), 1e-5);
        // the notebook printed 0.44993916 (Keras's own run on this file)
        assertEquals(0.44993916, model.predict(Map.of("customer", input)).get("churn").getDouble(0), 1e-6);
    }

    @Test
    void stackedLstmArchive() throws Exception {
        StockLstmModel model = StockLstmModel.create(1);
        KerasImport result = KerasFiles.loadWeights(model, Fixtures.file(dir, "k3_stock_lstm.keras"));
        assertEquals("name", result.matchedBy());
        assertPredicts(model, "k3_stock_lstm");
    }

    /** A tf.keras 2.2.4 functional CNN: Conv2D kernels (kh, kw, in, out) and pooling map without transposition. */
    @Test
    void legacyConvolutionalModel() throws Exception {
        MnistCnnModel model = MnistCnnModel.create(1);
        KerasImport result = KerasFiles.loadWeights(model, Fixtures.file(dir, "k224tf_mnist_cnn_functional.h5"));
        assertEquals("name", result.matchedBy());
        assertEquals(120_538, model.countParams());
        assertPredicts(model, "k224tf_mnist_cnn_functional");
    }

    @Test
    void aMismatchNamesTheLayerAndBothShapes() {
        ChurnWideModel model = ChurnWideModel.create(1);
        Map<String, INDArray> before = model.getWeights();
        KerasFileException e = assertThrows(KerasFileException.class,
                () -> KerasFiles.loadWeights(model, Fixtures.file(dir, "k3_churn_mlp.keras")));
        assertTrue(e.getMessage().contains("layer 'dense_7' (node 'narrower')"), e::getMessage);
        assertTrue(e.getMessage().contains("units = 32") || e.getMessage().contains("(64, 32)"), e::getMessage);
        assertEquals(before, model.getWeights(), "a refused file leaves the weights as they were");
    }

    @Test
    void aWeightsFileMismatchNamesTheLayerAndBothShapes() {
        ChurnWideModel model = ChurnWideModel.create(1);
        KerasFileException e = assertThrows(KerasFileException.class,
                () -> KerasFiles.loadWeights(model, Fixtures.file(dir, "k3_churn_mlp.weights.h5")));
        assertEquals(dir.resolve("k3_churn_mlp.weights.h5") + ": layer 'narrower': kernel is (64, 32) in the file"
                + " (/layers/dense_1/vars/0) but (64, 48) in the model", e.getMessage());
    }

    @Test
    void aModelOfOtherLayersIsRefusedByClass() {
        StockLstmModel model = StockLstmModel.create(1);
        KerasFileException e = assertThrows(KerasFileException.class,
                () -> KerasFiles.loadWeights(model, Fixtures.file(dir, "k3_churn_mlp.keras")));
        assertTrue(e.getMessage().contains("does not match StockLstm"), e::getMessage);
    }

    @Test
    void theMaliciousArchiveIsRefused() {
        ChurnNetModel model = ChurnNetModel.create(1);
        KerasFileException e = assertThrows(KerasFileException.class,
                () -> KerasFiles.loadWeights(model, Fixtures.file(dir, "malicious/evil_keras_model.keras")));
        assertTrue(e.getMessage().contains("lists the entry 'model.weights.npz' twice"), e::getMessage);
    }

    @Test
    void theFormatComesFromTheBytesNotTheName() throws Exception {
        Path misnamed = dir.resolve("model.keras");
        java.nio.file.Files.copy(Fixtures.file(dir, "k3_churn_mlp_legacy.h5"), misnamed);
        ChurnNetModel model = ChurnNetModel.create(1);
        assertEquals("legacy .h5", KerasFiles.loadWeights(model, misnamed).format());
        Path text = java.nio.file.Files.writeString(dir.resolve("notes.h5"), "hello");
        KerasFileException e = assertThrows(KerasFileException.class, () -> KerasFiles.loadWeights(model, text));
        assertTrue(e.getMessage().contains("neither a .keras archive (zip) nor an HDF5 file"), e::getMessage);
    }
}
