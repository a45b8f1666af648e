package dev.kiln.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.keras.models.ChurnNetModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Kiln refuses to load from a file, and the reason it gives. */
class KerasSafetyTest {
    @TempDir
    Path dir;

    private String refusal(UnaryOperator<String> editConfig) throws Exception {
        Path edited = Mutations.rewriteEntry(Fixtures.file(dir, "k3_churn_mlp.keras"), dir.resolve("edited.keras"),
                "config.json", editConfig);
        KerasFileException e = assertThrows(KerasFileException.class,
                () -> KerasFiles.loadWeights(ChurnNetModel.create(1), edited));
        return e.getMessage().substring((edited + ": ").length());
    }

    @Test
    void aLambdaLayerIsRefusedBecauseItCarriesCode() throws Exception {
        assertEquals("is refused: layer 'dense_7' is a Lambda, whose config carries Python code (marshalled"
                + " bytecode); Kiln never runs code from a file. Rewrite the Lambda as Kiln layers",
                refusal(c -> c.replaceFirst("\"class_name\": \"Dense\", \"config\": \\{\"name\": \"dense_7\"",
                        "\"class_name\": \"Lambda\", \"config\": {\"name\": \"dense_7\", \"function\": [\"4wEA\"]")));
    }

    @Test
    void aCustomModuleIsRefused() throws Exception {
        assertEquals("is refused: 'dense_6' is a custom object ('Dense' from module 'my_project.layers', not Keras's"
                + " own); Kiln loads only Keras's built-in classes and imports no module named in a file",
                refusal(c -> c.replaceFirst("\"module\": \"keras.layers\", \"class_name\": \"Dense\"",
                        "\"module\": \"my_project.layers\", \"class_name\": \"Dense\"")));
    }

    @Test
    void aRegisteredCustomObjectIsRefused() throws Exception {
        assertEquals("is refused: 'dense_6' is a custom object (registered as 'MyLayers>Dense'); Kiln loads only"
                + " Keras's built-in classes", refusal(c -> c.replaceFirst("\"registered_name\": null, \"build_config\"",
                        "\"registered_name\": \"MyLayers>Dense\", \"build_config\"")));
    }

    @Test
    void aSerializedPythonFunctionIsRefused() throws Exception {
        assertEquals("is refused: 'dense_6' holds a serialized Python object (__lambda__); Kiln never runs code from"
                + " a file", refusal(c -> c.replaceFirst("\"activation\": \"relu\"",
                        "\"activation\": {\"class_name\": \"__lambda__\", \"config\": {\"code\": \"4wEA\"}}")));
    }

    @Test
    void aLayerKilnLacksIsNamedWithItsClass() throws Exception {
        String m = refusal(c -> c.replaceFirst("\"class_name\": \"Dense\", \"config\": \\{\"name\": \"dense_7\"",
                "\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"dense_7\""));
        assertEquals("has layer 'dense_7' of class BatchNormalization, which the model ChurnNet does not have (its"
                + " layers are [Dense]); Kiln loads weights only into a model of the same architecture and builds"
                + " nothing from a file", m);
    }

    @Test
    void weightsOnlyFromModelWeightsH5NeverNpz() throws Exception {
        Map<String, byte[]> entries = Mutations.entries(Fixtures.file(dir, "k3_churn_mlp.keras"));
        List<Map.Entry<String, byte[]>> list = new ArrayList<>();
        entries.forEach((k, v) -> list.add(Map.entry(k.equals("model.weights.h5") ? "model.weights.npz" : k, v)));
        Path npz = Mutations.write(dir.resolve("npz.keras"), list);
        KerasFileException e = assertThrows(KerasFileException.class,
                () -> KerasFiles.loadWeights(ChurnNetModel.create(1), npz));
        assertEquals(npz + ": is refused: its weights are in model.weights.npz, which Keras reads with pickle; Kiln"
                + " reads weights only from model.weights.h5 and never unpickles anything", e.getMessage());
    }

    @Test
    void theMaliciousArchivesRefusalSaysWhy() {
        Path evil = Fixtures.file(dir, "malicious/evil_keras_model.keras");
        KerasFileException e = assertThrows(KerasFileException.class,
                () -> KerasFiles.loadWeights(ChurnNetModel.create(1), evil));
        assertEquals(evil + ": lists the entry 'model.weights.npz' twice; zip readers disagree about which copy such a"
                + " name means (a known way to smuggle a payload past a scanner), so Kiln refuses the archive",
                e.getMessage());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A NaN where a weight was: refused naming the layer and the weight, as Kiln's own checkpoints refuse it. */
    @Test
    void aNonFiniteWeightIsRefused() throws Exception {
        Path file = Fixtures.file(dir, "k3_churn_mlp.weights.h5");
        ChurnNetModel model = ChurnNetModel.create(1);
        KerasFiles.loadWeights(model, file);
        float first = model.getWeights().get("narrower/kernel").getFloat(0L);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        byte[] pattern = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(first).array();
        int at = -1;
        for (int i = 0; i + 4 <= bytes.length && at < 0; i++) {
            if (java.util.Arrays.equals(bytes, i, i + 4, pattern, 0, 4)) {
                at = i;
            }
        }
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(at, Float.NaN);
        Path nan = java.nio.file.Files.write(dir.resolve("nan.weights.h5"), bytes);
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> before = model.getWeights();
        KerasFileException e = assertThrows(KerasFileException.class, () -> KerasFiles.loadWeights(model, nan));
        assertEquals(nan + ": layer 'narrower': kernel (/layers/dense_1/vars/0) holds NaN or infinite values (the first"
                + " at flat index 0); Kiln loads only finite weights, as its own checkpoints", e.getMessage());
        assertEquals(before, model.getWeights());
    }
}
