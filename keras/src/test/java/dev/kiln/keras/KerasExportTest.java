package dev.kiln.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.keras.models.BiSentimentModel;
import dev.kiln.keras.models.BranchesModel;
import dev.kiln.keras.models.ChurnNetModel;
import dev.kiln.keras.models.MixedModel;
import dev.kiln.keras.models.NestedClassifierModel;
import dev.kiln.keras.models.NestedCnnModel;
import dev.kiln.keras.models.SequenceZooModel;
import dev.kiln.keras.models.StockLstmModel;
import dev.kiln.keras.models.TwinEncodersModel;
import dev.kiln.keras.models.TwoTowersModel;
import dev.kiln.keras.models.VisionZooModel;
import dev.kiln.runtime.KilnModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Kiln to .keras and back: identical weights and predictions; and readable by a numpy reader that is not Kiln. */
class KerasExportTest {
    @TempDir
    Path dir;

    static Map<String, INDArray> inputs(KilnModel model, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> in = new LinkedHashMap<>();
        for (var s : model.spec().inputs()) {
            long[] shape = new long[s.shape().length + 1];
            shape[0] = 4;
            System.arraycopy(s.shape(), 0, shape, 1, s.shape().length);
            in.put(s.name(), s.dtype() == dev.kiln.dsl.DType.INT32
                    ? Nd4j.rand(DataType.FLOAT, shape).muli(20).castTo(DataType.INT32)
                    : Nd4j.randn(DataType.FLOAT, shape));
        }
        return in;
    }

    /**
     * The model with every weight drawn at random (moving variances positive), so that no layer is the identity it
     * starts as (BatchNormalization's statistics, a zero bias) and a weight put in the wrong place shows.
     */
    static <M extends KilnModel> M randomized(M model, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> weights = new LinkedHashMap<>();
        model.getWeights().forEach((name, w) -> weights.put(name, name.endsWith("moving_variance")
                ? Nd4j.rand(w.dataType(), w.shape()).addi(0.5) : Nd4j.randn(w.dataType(), w.shape()).muli(0.5)));
        model.setWeights(weights);
        return model;
    }

    private void assertRoundTrip(KilnModel saved, KilnModel loaded) throws IOException {
        Path file = dir.resolve("model.keras");
        KerasFiles.saveKeras(saved, file);
        KerasImport result = KerasFiles.loadWeights(loaded, file);
        assertEquals("name", result.matchedBy());
        assertEquals("Functional", result.kerasModelClass());
        Map<String, INDArray> a = saved.getWeights();
        Map<String, INDArray> b = loaded.getWeights();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertEquals(a.get(k), b.get(k), k);
        }
        Map<String, INDArray> in = inputs(saved, 7);
        Map<String, INDArray> pa = saved.predict(in);
        Map<String, INDArray> pb = loaded.predict(in);
        for (String k : pa.keySet()) {
            assertEquals(pa.get(k), pb.get(k), k);
        }
    }

    @Test
    void mlpRoundTrip() throws IOException {
        assertRoundTrip(ChurnNetModel.create(1), ChurnNetModel.create(2));
    }

    @Test
    void stackedLstmRoundTrip() throws IOException {
        assertRoundTrip(StockLstmModel.create(1), StockLstmModel.create(2));
    }

    @Test
    void sharedLayerMergeAndGruRoundTrip() throws IOException {
        assertRoundTrip(TwoTowersModel.create(1), TwoTowersModel.create(2));
    }

    @Test
    void embeddingSimpleRnnAndPReluRoundTrip() throws IOException {
        assertRoundTrip(MixedModel.create(1), MixedModel.create(2));
    }

    /** ZeroPadding2D, BatchNormalization, ReLU, DepthwiseConv2D, SeparableConv2D, ..., Conv2DTranspose, PReLU, Softmax. */
    @Test
    void imageLayersRoundTrip() throws IOException {
        assertRoundTrip(randomized(VisionZooModel.create(1), 5), VisionZooModel.create(2));
    }

    /** Masking, a Bidirectional GRU (sum), TimeDistributed, LayerNormalization, RepeatVector, Permute, Reshape, Dot. */
    @Test
    void sequenceLayersAndWrappersRoundTrip() throws IOException {
        assertRoundTrip(randomized(SequenceZooModel.create(1), 6), SequenceZooModel.create(2));
    }

    /** A nested model is written as a Functional layer of its own, holding its layers and an input layer. */
    @Test
    void nestedModelsRoundTrip() throws IOException {
        assertRoundTrip(NestedClassifierModel.create(1), NestedClassifierModel.create(2));
        assertRoundTrip(randomized(NestedCnnModel.create(1), 9), NestedCnnModel.create(2));
    }

    /** The layers of config.json in the archive {@code model} saves. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> savedLayers(KilnModel model, Path file) throws IOException {
        KerasFiles.saveKeras(model, file);
        try (KerasArchive archive = KerasArchive.open(file)) {
            Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) Json.parse(archive.json(
                    KerasArchive.CONFIG))).get("config");
            return (List<Map<String, Object>>) config.get("layers");
        }
    }

    /** The archive's model.weights.h5, opened; the caller closes it. */
    private io.jhdf.HdfFile savedWeights(Path file) throws IOException {
        Path h5 = dir.resolve(file.getFileName() + ".h5");
        try (KerasArchive archive = KerasArchive.open(file)) {
            archive.copyWeights(h5, 1 << 20);
        }
        return new io.jhdf.HdfFile(h5);
    }

    @Test
    void aNestedModelIsAFunctionalLayerOfItsOwn() throws IOException {
        Path file = dir.resolve("nested.keras");
        List<Map<String, Object>> layers = savedLayers(NestedClassifierModel.create(1), file);
        assertEquals(List.of("image", "encoder_net", "head"), layers.stream().map(l -> l.get("name")).toList());
        Map<String, Object> nested = layers.get(1);
        assertEquals("Functional", nested.get("class_name"));
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) nested.get("config");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> innerLayers = (List<Map<String, Object>>) inner.get("layers");
        assertEquals(List.of("InputLayer:image", "Dense:hidden", "Dense:code"), innerLayers.stream()
                .map(l -> l.get("class_name") + ":" + l.get("name")).toList());
        assertEquals(List.of(List.of("image", 0L, 0L)), inner.get("input_layers"));
        assertEquals(List.of(List.of("code", 0L, 0L)), inner.get("output_layers"));
        assertTrue(Json.write(layers.get(2)).contains("\"keras_history\": [\"encoder_net\", 0, 0]"),
                "the head reads the nested model's output");
        try (io.jhdf.HdfFile hdf = savedWeights(file)) {
            assertArrayEquals(new int[] {6, 8}, hdf.getDatasetByPath("layers/functional/layers/dense/vars/0")
                    .getDimensions());
            assertArrayEquals(new int[] {8, 4}, hdf.getDatasetByPath("layers/functional/layers/dense_1/vars/0")
                    .getDimensions());
            assertArrayEquals(new int[] {4, 3}, hdf.getDatasetByPath("layers/dense/vars/0").getDimensions());
            assertEquals(0, ((io.jhdf.api.Group) hdf.getByPath("layers/functional/layers/input_layer/vars"))
                    .getChildren().size());
        }
    }

    /**
     * Keras orders a Functional's layers by depth from the outputs (ops/function.py's map_graph), and numbers the
     * groups of its weights files in that order: the long branch's 'deep' is layers/dense, 'shallow' (declared first,
     * as deep as 'deeper') layers/dense_1. Kiln writes config.json's layers in the same order.
     */
    @Test
    void layersAreWrittenInKerassOrder() throws IOException {
        Path file = dir.resolve("branches.keras");
        assertEquals(List.of("x", "deep", "shallow", "deeper", "sum", "out"), savedLayers(BranchesModel.create(1), file)
                .stream().map(l -> l.get("name")).toList());
        try (io.jhdf.HdfFile hdf = savedWeights(file)) {
            assertArrayEquals(new int[] {4, 5}, hdf.getDatasetByPath("layers/dense/vars/0").getDimensions());
            assertArrayEquals(new int[] {4, 3}, hdf.getDatasetByPath("layers/dense_1/vars/0").getDimensions());
            assertArrayEquals(new int[] {5, 3}, hdf.getDatasetByPath("layers/dense_2/vars/0").getDimensions());
            assertArrayEquals(new int[] {3, 2}, hdf.getDatasetByPath("layers/dense_3/vars/0").getDimensions());
        }
        assertRoundTrip(BranchesModel.create(1), BranchesModel.create(2));
    }

    @Test
    void aNestedModelAppliedTwiceIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path file = dir.resolve("twins.keras");
        Files.writeString(file, "the previous file");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasFiles.saveKeras(TwinEncodersModel.create(1), file));
        assertEquals("TwinEncoders: node 'encodedB' applies the nested model 'encoded' again, which Kiln does not map"
                + " to Keras's files yet", e.getMessage());
        assertEquals("the previous file", Files.readString(file));
    }

    @Test
    void bidirectionalRoundTrip() throws IOException {
        assertRoundTrip(BiSentimentModel.create(1), BiSentimentModel.create(2));
    }

    /**
     * Keras 3 saves a wrapper's weights under the layers it holds (saving_lib walks the layer's attributes): the two
     * copies of a Bidirectional under forward_layer and backward_layer, each LSTM's on its cell, and every object on
     * the way with its own vars group, empty.
     */
    @Test
    void aBidirectionalLayersWeightsSitUnderItsTwoCopies() throws IOException {
        Path file = dir.resolve("bi.keras");
        KerasFiles.saveKeras(BiSentimentModel.create(1), file);
        try (io.jhdf.HdfFile hdf = savedWeights(file)) {
            for (String copy : List.of("forward_layer", "backward_layer")) {
                assertArrayEquals(new int[] {4, 12}, hdf.getDatasetByPath("layers/bidirectional/" + copy
                        + "/cell/vars/0").getDimensions());
                assertArrayEquals(new int[] {3, 12}, hdf.getDatasetByPath("layers/bidirectional/" + copy
                        + "/cell/vars/1").getDimensions());
                assertArrayEquals(new int[] {12}, hdf.getDatasetByPath("layers/bidirectional/" + copy
                        + "/cell/vars/2").getDimensions());
                assertEquals(0, ((io.jhdf.api.Group) hdf.getByPath("layers/bidirectional/" + copy + "/vars"))
                        .getChildren().size());
            }
            assertEquals(0, ((io.jhdf.api.Group) hdf.getByPath("layers/bidirectional/vars")).getChildren().size());
        }
    }

    @Test
    void weightsH5RoundTrip() throws IOException {
        for (KilnModel[] pair : new KilnModel[][] {{ChurnNetModel.create(1), ChurnNetModel.create(2)},
                {TwoTowersModel.create(1), TwoTowersModel.create(2)},
                {randomized(VisionZooModel.create(1), 5), VisionZooModel.create(2)},
                {randomized(SequenceZooModel.create(1), 6), SequenceZooModel.create(2)},
                {randomized(NestedCnnModel.create(1), 9), NestedCnnModel.create(2)},
                {BranchesModel.create(1), BranchesModel.create(2)}}) {
            Path file = dir.resolve("model.weights.h5");
            KerasFiles.saveKerasWeights(pair[0], file);
            KerasImport result = KerasFiles.loadWeights(pair[1], file);
            assertEquals(".weights.h5", result.format());
            assertEquals(pair[0].getWeights(), pair[1].getWeights());
        }
    }

    @Test
    void theArchiveHasKerasLayout() throws IOException {
        Path file = dir.resolve("towers.keras");
        KerasFiles.saveKeras(TwoTowersModel.create(1), file);
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> e = zip.entries();
            while (e.hasMoreElements()) {
                ZipEntry entry = e.nextElement();
                names.add(entry.getName());
                assertEquals(ZipEntry.STORED, entry.getMethod(), entry.getName());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>) Json.parse(new String(
                    zip.getInputStream(zip.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("Functional", config.get("class_name"));
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) config.get("config");
            assertEquals(List.of(List.of("left", 0L, 0L), List.of("right", 0L, 0L), List.of("series", 0L, 0L)),
                    c.get("input_layers"));
            assertEquals(List.of(List.of("same", 0L, 0L), List.of("score", 0L, 0L)), c.get("output_layers"));
            String json = Json.write(c.get("layers"));
            assertTrue(json.contains("\"keras_history\": [\"encode\", 1, 0]"), "the shared layer's second call");
        }
        assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"), names);
        // the class-named weights tree, read back with Kiln's own reader
        try (KerasArchive archive = KerasArchive.open(file)) {
            Path h5 = dir.resolve("w.h5");
            archive.copyWeights(h5, 1 << 20);
            try (io.jhdf.HdfFile hdf = new io.jhdf.HdfFile(h5)) {
                assertArrayEquals(new int[] {6, 8}, hdf.getDatasetByPath("layers/dense/vars/0").getDimensions());
                assertEquals(0, ((io.jhdf.api.Group) hdf.getChild("vars")).getChildren().size(), "the model's own vars");
                assertArrayEquals(new int[] {2, 12}, hdf.getDatasetByPath("layers/gru/cell/vars/2").getDimensions());
                assertArrayEquals(new int[] {8, 3}, hdf.getDatasetByPath("layers/dense_2/vars/0").getDimensions());
            }
        }
    }

    /** Kiln to .keras to a numpy forward pass that reads the archive with zipfile and h5py: Kiln's predictions. */
    @Test
    void aNumpyReaderThatIsNotKilnPredictsKilnsOutputs() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python) && run(List.of(python.toString(), "-c",
                "import h5py, numpy")).exitCode == 0, "needs Debian's python3-h5py and python3-numpy");
        for (KilnModel model : List.of(ChurnNetModel.create(3), StockLstmModel.create(3), TwoTowersModel.create(3),
                BiSentimentModel.create(3), randomized(VisionZooModel.create(3), 7),
                randomized(SequenceZooModel.create(3), 8), randomized(NestedCnnModel.create(3), 10),
                BranchesModel.create(3))) {
            Path file = dir.resolve(model.spec().modelName() + ".keras");
            KerasFiles.saveKeras(model, file);
            Map<String, INDArray> in = inputs(model, 11);
            List<Object> arrays = new ArrayList<>();
            for (INDArray a : in.values()) {
                arrays.add(Map.of("shape", java.util.Arrays.stream(a.shape()).boxed().toList(),
                        "data", java.util.Arrays.stream(a.dup('c').data().asDouble()).boxed().toList()));
            }
            Path inputs = Files.writeString(dir.resolve("inputs.json"), Json.write(arrays));
            Result r = run(List.of(python.toString(), Path.of("src/test/python/read_keras.py").toString(),
                    file.toString(), inputs.toString()));
            assertEquals(0, r.exitCode, r.output);
            @SuppressWarnings("unchecked")
            List<Object> outputs = (List<Object>) Json.parse(r.output.trim());
            Map<String, INDArray> kiln = model.predict(in);
            for (int i = 0; i < model.outputs().size(); i++) {
                @SuppressWarnings("unchecked")
                INDArray numpy = Fixtures.array((Map<String, Object>) outputs.get(i));
                Fixtures.assertClose(numpy, kiln.get(model.outputs().get(i).name()), 1e-5);
            }
        }
    }

    @Test
    void aMismatchedActivationIsNamed() throws IOException {
        Path file = dir.resolve("churn.keras");
        KerasFiles.saveKeras(ChurnNetModel.create(1), file);
        Path edited = Mutations.rewriteEntry(file, dir.resolve("edited.keras"), "config.json",
                s -> s.replaceFirst("\"activation\": \"relu\"", "\"activation\": \"tanh\""));
        KerasFileException e = assertThrows(KerasFileException.class,
                () -> KerasFiles.loadWeights(ChurnNetModel.create(2), edited));
        assertEquals(edited + ": layer 'hidden' (Dense) has activation = \"tanh\", but the model's node 'hidden' has"
                + " activation = \"relu\"", e.getMessage());
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out);
        }
        return new Result(p.exitValue(), out);
    }
}
