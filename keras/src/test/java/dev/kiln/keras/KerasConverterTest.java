package dev.kiln.keras;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.kiln.processor.KilnProcessor;
import dev.kiln.runtime.KilnModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras file -> annotated @Model source -> javac with Kiln's processor -> the fixture's predictions. */
class KerasConverterTest {
    @TempDir
    Path dir;

    private KilnModel convertCompileAndLoad(String resource) throws Exception {
        return convertCompileAndLoad(Fixtures.file(dir, resource));
    }

    private KilnModel convertCompileAndLoad(Path file) throws Exception {
        String name = KerasConverter.interfaceName(file);
        String source = KerasConverter.toSource(file, "converted");
        Compilation c = javac().withProcessors(new KilnProcessor()).withOptions("-Xlint:all", "-Xlint:-processing")
                .compile(JavaFileObjects.forSourceString("converted." + name, source));
        assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics() + "\n" + source);
        assertTrue(c.diagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.WARNING
                || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING), () -> c.diagnostics() + "\n" + source);
        KilnModel model = (KilnModel) loader(c).loadClass("converted." + name + "Model").getMethod("create", long.class)
                .invoke(null, 1L);
        KerasImport result = KerasFiles.loadWeights(model, file);
        assertEquals("name", result.matchedBy(), "the converted nodes carry the Keras layer names");
        return model;
    }

    private static void assertPredicts(KilnModel model, String expectedName) {
        Map<String, Object> expected = Fixtures.expected(expectedName);
        INDArray in = Fixtures.array(expected, "inputs", 0);
        INDArray out = model.predict(Map.of(model.inputNames().get(0), in)).get(model.outputs().get(0).name());
        Fixtures.assertClose(Fixtures.array(expected, "outputs", 0), out, 1e-5);
    }

    @Test
    void churnMlpConvertsCompilesAndPredicts() throws Exception {
        assertPredicts(convertCompileAndLoad("k3_churn_mlp.keras"), "k3_churn_mlp");
    }

    @Test
    void legacyChurnMlpConvertsCompilesAndPredicts() throws Exception {
        assertPredicts(convertCompileAndLoad("k3_churn_mlp_legacy.h5"), "k3_churn_mlp_legacy");
    }

    @Test
    void stackedLstmConvertsCompilesAndPredicts() throws Exception {
        assertPredicts(convertCompileAndLoad("k3_stock_lstm.keras"), "k3_stock_lstm");
    }

    /** All inputs of the expected file, in the model's input order, and the first output. */
    private static void assertPredictsAll(KilnModel model, String expectedName) {
        Map<String, Object> expected = Fixtures.expected(expectedName);
        Map<String, INDArray> in = new java.util.LinkedHashMap<>();
        for (int i = 0; i < model.inputNames().size(); i++) {
            in.put(model.inputNames().get(i), Fixtures.array(expected, "inputs", i));
        }
        INDArray out = model.predict(in).get(model.outputs().get(0).name());
        Fixtures.assertClose(Fixtures.array(expected, "outputs", 0), out, 1e-5);
    }

    /** A Dense applied to two inputs (two inbound nodes): one @Dense node, one @Shared node, one set of weights. */
    @Test
    void aSharedLayerConvertsCompilesAndPredicts() throws Exception {
        KilnModel model = convertCompileAndLoad("fixtures/shared_siamese.keras");
        assertEquals(List.of("encoder/kernel", "encoder/bias", "score/kernel", "score/bias"),
                List.copyOf(model.getWeights().keySet()));
        assertPredictsAll(model, "shared_siamese");
    }

    /** A Functional model used as a layer: a member @Model interface used through @Nested. */
    @Test
    void aNestedModelConvertsCompilesAndPredicts() throws Exception {
        KilnModel model = convertCompileAndLoad("fixtures/nested_classifier.keras");
        assertEquals(List.of("encoder_net/hidden/kernel", "encoder_net/hidden/bias", "encoder_net/code/kernel",
                "encoder_net/code/bias", "head/kernel", "head/bias"), List.copyOf(model.getWeights().keySet()));
        assertPredictsAll(model, "nested_classifier");
    }

    /** The shared-layer and nested-model fixtures as legacy .h5 models (Keras 2's inbound nodes, weights by top layer). */
    @Test
    void legacySharedAndNestedModelsConvertCompileAndPredict() throws Exception {
        assertPredictsAll(convertCompileAndLoad("fixtures/shared_siamese_legacy.h5"), "shared_siamese");
        assertPredictsAll(convertCompileAndLoad("fixtures/nested_classifier_legacy.h5"), "nested_classifier");
    }

    /** Conv2D, BatchNormalization and pooling in a nested model, and the pooling after it, from both layouts. */
    @Test
    void aNestedCnnConvertsCompilesAndPredicts() throws Exception {
        assertPredicts(convertCompileAndLoad("fixtures/nested_cnn.keras"), "nested_cnn");
        assertPredicts(convertCompileAndLoad("fixtures/nested_cnn_legacy.h5"), "nested_cnn");
    }

    /** The wrappers, written as the wrapper's annotation then its layer's, LayerNormalization and GRU. */
    @Test
    void wrappersConvertCompileAndPredict() throws Exception {
        assertPredicts(convertCompileAndLoad("fixtures/recurrent_seq.keras"), "recurrent_seq");
        assertPredicts(convertCompileAndLoad("fixtures/recurrent_seq_legacy.h5"), "recurrent_seq");
        String source = KerasConverter.toSource(Fixtures.file(dir, "fixtures/recurrent_seq.keras"), "com.acme");
        assertTrue(source.contains("""
                    /** Keras layer 'bi' (Bidirectional). */
                    @Bidirectional @LSTM(units = 4, returnSequences = true)
                    Tensor bi(Tensor series);

                    /** Keras layer 'per_step' (TimeDistributed). */
                    @TimeDistributed @Dense(units = 6, activation = Activation.TANH)
                    Tensor per_step(Tensor bi);

                    /** Keras layer 'norm' (LayerNormalization). */
                    @LayerNormalization
                    Tensor norm(Tensor per_step);
                """), source);
    }

    @Test
    void theConvertedSourceOfSharedAndNestedModels() throws Exception {
        assertEquals("""
                package com.acme.models;

                import dev.kiln.dsl.Activation;
                import dev.kiln.dsl.Dense;
                import dev.kiln.dsl.Input;
                import dev.kiln.dsl.Model;
                import dev.kiln.dsl.Nested;
                import dev.kiln.dsl.Output;
                import dev.kiln.dsl.Tensor;

                /** Converted by Kiln from the Keras Functional model 'classifier'. */
                @Model
                public interface Classifier {
                    /** Keras nested Functional model 'encoder_net'. */
                    @Model
                    interface EncoderNet {
                        /** Keras input 'pixels'. */
                        @Input(shape = 6)
                        Tensor pixels();

                        /** Keras layer 'hidden' (Dense). */
                        @Dense(units = 8, activation = Activation.RELU)
                        Tensor hidden(Tensor pixels);

                        /** Keras layer 'code' (Dense). */
                        @Dense(units = 4, activation = Activation.TANH)
                        @Output
                        Tensor code(Tensor hidden);
                    }

                    /** Keras input 'image'. */
                    @Input(shape = 6)
                    Tensor image();

                    /** Keras nested model 'encoder_net' (Functional). */
                    @Nested(EncoderNet.class)
                    Tensor encoder_net(Tensor image);

                    /** Keras layer 'head' (Dense). */
                    @Dense(units = 3, activation = Activation.SOFTMAX)
                    @Output
                    Tensor head(Tensor encoder_net);
                }
                """, KerasConverter.toSource(Fixtures.file(dir, "fixtures/nested_classifier.keras"), "com.acme.models"));
        String shared = KerasConverter.toSource(Fixtures.file(dir, "fixtures/shared_siamese.keras"), "com.acme.models");
        assertTrue(shared.contains("""
                    /** Keras layer 'encoder' (Dense). */
                    @Dense(units = 4, activation = Activation.TANH)
                    Tensor encoder(Tensor left);

                    /** Keras layer 'encoder' (Dense), applied again (node 1). */
                    @Shared("encoder")
                    Tensor encoder_1(Tensor right);

                    /** Keras layer 'diff' (Subtract). */
                    @Subtract
                    Tensor diff(Tensor encoder, Tensor encoder_1);
                """), shared);
    }

    /** tf.keras 2.2.4's Functional CNN (legacy .h5): Conv2D and MaxPooling2D through their configs' mappings. */
    @Test
    void theRealTfKerasCnnConvertsCompilesAndPredicts() throws Exception {
        assertPredicts(convertCompileAndLoad("k224tf_mnist_cnn_functional.h5"), "k224tf_mnist_cnn_functional");
    }

    /**
     * Kiln's own exports converted back: a Functional model with two inputs, a merge and two outputs, and every layer
     * whose mapping came with the wrappers (the image and sequence zoos, a Bidirectional LSTM over an Embedding). The
     * converted interface compiles, takes the weights by name and predicts what the original predicts.
     */
    @Test
    void kilnsArchivesConvertCompileAndPredict() throws Exception {
        for (KilnModel original : List.of(dev.kiln.keras.models.MergedHeadsModel.create(5),
                KerasExportTest.randomized(dev.kiln.keras.models.VisionZooModel.create(5), 5),
                KerasExportTest.randomized(dev.kiln.keras.models.SequenceZooModel.create(5), 6),
                dev.kiln.keras.models.BiSentimentModel.create(5),
                KerasExportTest.randomized(dev.kiln.keras.models.NestedCnnModel.create(5), 7),
                dev.kiln.keras.models.BranchesModel.create(5))) {
            Path file = dir.resolve(original.spec().modelName() + ".keras");
            KerasFiles.saveKeras(original, file);
            KilnModel converted = convertCompileAndLoad(file);
            assertEquals(original.getWeights(), converted.getWeights());
            Map<String, INDArray> in = KerasExportTest.inputs(original, 3);
            assertEquals(original.predict(in), converted.predict(in), original.spec().modelName());
        }
    }

    @Test
    void theConvertedSource() throws Exception {
        assertEquals("""
                package com.acme.models;

                import dev.kiln.dsl.Activation;
                import dev.kiln.dsl.Dense;
                import dev.kiln.dsl.Dropout;
                import dev.kiln.dsl.Input;
                import dev.kiln.dsl.LSTM;
                import dev.kiln.dsl.Model;
                import dev.kiln.dsl.Output;
                import dev.kiln.dsl.Tensor;

                /** Converted by Kiln from the Keras Sequential model 'sequential'. */
                @Model
                public interface Sequential {
                    /** Keras input 'input_layer'. */
                    @Input(shape = {10, 6})
                    Tensor input_layer();

                    /** Keras layer 'lstm' (LSTM). */
                    @LSTM(units = 100, returnSequences = true)
                    Tensor lstm(Tensor input_layer);

                    /** Keras layer 'dropout' (Dropout). */
                    @Dropout(rate = 0.3)
                    Tensor dropout(Tensor lstm);

                    /** Keras layer 'lstm_1' (LSTM). */
                    @LSTM(units = 64)
                    Tensor lstm_1(Tensor dropout);

                    /** Keras layer 'dense' (Dense). */
                    @Dense(units = 1, activation = Activation.RELU)
                    @Output
                    Tensor dense(Tensor lstm_1);
                }
                """, KerasConverter.toSource(Fixtures.file(dir, "k3_stock_lstm.keras"), "com.acme.models"));
    }

    @Test
    void aLayerKilnLacksIsAnErrorNamingTheLayerAndItsClass() throws Exception {
        Path edited = Mutations.rewriteEntry(Fixtures.file(dir, "k3_churn_mlp.keras"), dir.resolve("bn.keras"),
                "config.json", c -> c.replaceFirst("\"class_name\": \"Dense\", \"config\": \\{\"name\": \"dense_7\"",
                        "\"class_name\": \"UnitNormalization\", \"config\": {\"name\": \"dense_7\""));
        KerasFileException e = assertThrows(KerasFileException.class, () -> KerasConverter.toSource(edited, "x"));
        assertEquals(edited + ": has layer 'dense_7' of class UnitNormalization: Kiln cannot convert UnitNormalization"
                + " yet", e.getMessage());
    }

    private static ClassLoader loader(Compilation compilation) {
        Map<String, byte[]> classes = new HashMap<>();
        for (JavaFileObject f : compilation.generatedFiles()) {
            if (f.getKind() != JavaFileObject.Kind.CLASS) {
                continue;
            }
            String path = f.toUri().getPath();
            String name = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(), path.length() - 6)
                    .replace('/', '.');
            try (InputStream in = f.openInputStream()) {
                classes.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ClassLoader(KerasConverterTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = classes.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };
    }

    /**
     * Keras's lstm_seq2seq (states as further outputs, read as {@code initial_state}): {@code saveKeras} does not write
     * nodes with several values yet, and says so before writing anything.
     */
    @Test
    void statesAndInitialStatesAreRefusedByTheExporter() {
        KilnModel saved = dev.kiln.keras.models.Seq2SeqModel.create(3);
        Path file = dir.resolve("seq2seq.keras");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> KerasFiles.saveKeras(saved, file));
        assertTrue(e.getMessage().contains("saveKeras does not write nodes with several values or initial states yet"),
                e.getMessage());
        assertTrue(!java.nio.file.Files.exists(file), "nothing written");
    }
}
