package dev.kiln.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.layer.InputConfig;
import dev.kiln.runtime.layer.KerasMapping;
import dev.kiln.runtime.layer.LayerConfig;
import dev.kiln.runtime.reference.LayerReference;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The converter's per-layer mappings: each lives next to its layer's runtime config and is found through the service
 * loader, so this test, not a switch, holds that every layer has one.
 */
class KerasMappingTest {
    @Test
    void everyLayerHasAKerasMappingNextToItsConfig() {
        Set<String> configs = new TreeSet<>();
        for (LayerReference<?> r : ServiceLoader.load(LayerReference.class)) {
            if (r.configType() != InputConfig.class) {
                configs.add(r.configType().getSimpleName());
            }
        }
        Set<String> mapped = new TreeSet<>();
        for (KerasMapping m : ServiceLoader.load(KerasMapping.class)) {
            Class<? extends LayerConfig> type = m.configType();
            mapped.add(type.getSimpleName());
            assertEquals(type, m.getClass().getEnclosingClass(), () -> m.getClass() + " maps " + type.getSimpleName()
                    + " but is not nested in it");
            assertFalse(m.kerasClassNames().isEmpty(), () -> m.getClass() + " names no Keras class");
        }
        Set<String> missing = new TreeSet<>(configs);
        missing.removeAll(mapped);
        assertEquals(Set.of(), missing, "layers without a Keras mapping (add a nested Keras class to the config, as"
                + " DenseConfig.Keras)");
        assertTrue(configs.size() >= 30, () -> "the layers found through LayerReference: " + configs);
    }

    @Test
    void aKerasClassHasOneMapping() {
        Map<String, KerasMapping> all = KerasMapping.byKerasClassName();
        assertTrue(all.keySet().containsAll(List.of("Dense", "Conv2D", "MaxPooling2D", "LSTM", "Add", "Concatenate")),
                all::toString);
    }

    @Test
    void aMappingSpellsOutWhatDiffersFromTheAnnotationsDefaults() {
        KerasMapping dense = KerasMapping.byKerasClassName().get("Dense");
        KerasMapping.Layer l = new KerasMapping.Layer("d", "Dense", Map.of("units", 4, "activation", "relu",
                "use_bias", false, "trainable", false));
        assertEquals("@Dense(units = 4, activation = Activation.RELU, useBias = false, trainable = false)",
                dense.annotation(l));
        assertEquals(Set.of("dev.kiln.dsl.Activation", "dev.kiln.dsl.Dense"), l.imports());
        KerasMapping conv = KerasMapping.byKerasClassName().get("Conv2D");
        assertEquals("@Conv2D(filters = 8, kernelSize = {3, 5}, padding = Padding.SAME)", conv.annotation(
                new KerasMapping.Layer("c", "Conv2D", Map.of("filters", 8, "kernel_size", List.of(3, 5), "strides",
                        List.of(1, 1), "padding", "same", "dilation_rate", List.of(1, 1), "activation", "linear",
                        "use_bias", true, "groups", 1, "data_format", "channels_last"))));
        KerasMapping pool = KerasMapping.byKerasClassName().get("MaxPooling2D");
        assertEquals("@MaxPooling2D(poolSize = 3, strides = 1)", pool.annotation(new KerasMapping.Layer("p",
                "MaxPooling2D", Map.of("pool_size", List.of(3, 3), "strides", List.of(1, 1), "padding", "valid"))));
        assertEquals("@MaxPooling2D", pool.annotation(new KerasMapping.Layer("p", "MaxPooling2D", Map.of("pool_size",
                List.of(2, 2), "strides", List.of(2, 2)))));
        assertEquals("@ActivationLayer(Activation.SOFTMAX)", KerasMapping.byKerasClassName().get("Activation")
                .annotation(new KerasMapping.Layer("a", "Activation", Map.of("activation", "softmax"))));
    }

    @Test
    void aSettingKilnCannotExpressIsRefusedNamingTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasMapping
                .byKerasClassName().get("LSTM").annotation(new KerasMapping.Layer("l", "LSTM", Map.of("units", 3,
                        "stateful", true))));
        assertEquals("layer 'l' (LSTM) has stateful = True, which Kiln cannot express", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KerasMapping.byKerasClassName().get("Dense")
                .annotation(new KerasMapping.Layer("d", "Dense", Map.of("units", 3, "activation", "mish"))));
        assertEquals("layer 'd' (Dense) has activation 'mish', which Kiln does not have", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KerasMapping.byKerasClassName().get("Conv2D")
                .annotation(new KerasMapping.Layer("c", "Conv2D", Map.of("filters", 3, "kernel_size", List.of(3, 3),
                        "data_format", "channels_first"))));
        assertEquals("layer 'c' (Conv2D) has data_format 'channels_first' (Kiln's layers are channels_last), which"
                + " Kiln cannot express", e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static String convert(String className, String config) {
        return convert(className, config, null);
    }

    @SuppressWarnings("unchecked")
    private static String convert(String className, String config, List<?> inputShape) {
        KerasMapping mapping = KerasMapping.byKerasClassName().get(className);
        return mapping.annotation(new KerasMapping.Layer("l", className, (Map<String, Object>) Json.parse(config),
                inputShape));
    }

    private static String refusal(String className, String config) {
        return assertThrows(IllegalArgumentException.class, () -> convert(className, config)).getMessage();
    }

    /** Each mapping that came with this change: Keras 3's get_config() keys (and Keras 2's spellings) and defaults. */
    @Test
    void theNormalizationsConvolutionsAndReshapings() {
        assertEquals("@BatchNormalization(momentum = 0.9, scale = false, trainable = false)", convert("BatchNormalization",
                "{\"axis\": -1, \"momentum\": 0.9, \"epsilon\": 0.001, \"center\": true, \"scale\": false,"
                        + " \"trainable\": false, \"renorm\": false}"));
        assertEquals("@BatchNormalization(epsilon = 1.0E-5)", convert("BatchNormalization",
                "{\"axis\": [3], \"momentum\": 0.99, \"epsilon\": 1e-5}", java.util.Arrays.asList(null, 8, 8, 3)));
        assertEquals("@LayerNormalization(center = false)", convert("LayerNormalization",
                "{\"axis\": -1, \"epsilon\": 0.001, \"center\": false, \"scale\": true, \"rms_scaling\": false}"));
        assertEquals("@Conv2DTranspose(filters = 8, kernelSize = 3, strides = 2, padding = Padding.SAME, outputPadding"
                + " = {1, 0})", convert("Conv2DTranspose", "{\"filters\": 8, \"kernel_size\": [3, 3], \"strides\":"
                + " [2, 2], \"padding\": \"same\", \"output_padding\": [1, 0], \"data_format\": \"channels_last\","
                + " \"dilation_rate\": [1, 1], \"activation\": \"linear\", \"use_bias\": true}"));
        assertEquals("@DepthwiseConv2D(kernelSize = {3, 5}, depthMultiplier = 2, activation = Activation.RELU)",
                convert("DepthwiseConv2D", "{\"kernel_size\": [3, 5], \"strides\": [1, 1], \"padding\": \"valid\","
                        + " \"depth_multiplier\": 2, \"dilation_rate\": [1, 1], \"activation\": \"relu\"}"));
        assertEquals("@SeparableConv2D(filters = 4, kernelSize = 3, useBias = false)", convert("SeparableConv2D",
                "{\"filters\": 4, \"kernel_size\": [3, 3], \"strides\": [1, 1], \"padding\": \"valid\","
                        + " \"depth_multiplier\": 1, \"dilation_rate\": [1, 1], \"use_bias\": false}"));
        assertEquals("@Cropping2D", convert("Cropping2D", "{\"cropping\": [[0, 0], [0, 0]]}"));
        assertEquals("@Cropping2D(cropping = {1, 2})", convert("Cropping2D", "{\"cropping\": [[1, 1], [2, 2]]}"));
        assertEquals("@ZeroPadding2D(padding = {1, 0, 2, 3})", convert("ZeroPadding2D",
                "{\"padding\": [[1, 0], [2, 3]], \"data_format\": \"channels_last\"}"));
        assertEquals("@ZeroPadding2D", convert("ZeroPadding2D", "{\"padding\": [[1, 1], [1, 1]]}"));
        assertEquals("@UpSampling2D(size = {2, 3}, interpolation = Interpolation.BILINEAR)", convert("UpSampling2D",
                "{\"size\": [2, 3], \"interpolation\": \"bilinear\"}"));
        assertEquals("@Reshape(targetShape = {4, 4})", convert("Reshape", "{\"target_shape\": [4, 4]}"));
        assertEquals("@Permute(dims = {2, 1})", convert("Permute", "{\"dims\": [2, 1]}"));
        assertEquals("@RepeatVector(n = 3)", convert("RepeatVector", "{\"n\": 3}"));
        assertEquals("@GlobalAveragePooling1D", convert("GlobalAveragePooling1D",
                "{\"data_format\": \"channels_last\", \"keepdims\": false}"));
        assertEquals("@SpatialDropout2D(rate = 0.25)", convert("SpatialDropout2D", "{\"rate\": 0.25, \"seed\": 3}"));
        assertEquals("@Masking(maskValue = -1.0)", convert("Masking", "{\"mask_value\": -1}"));
        assertEquals("@Dot(axes = 1, normalize = true)", convert("Dot", "{\"axes\": [1, 1], \"normalize\": true}"));
        assertEquals("@Dot", convert("Dot", "{\"axes\": -1, \"normalize\": false}"));
    }

    @Test
    void theActivationLayers() {
        assertEquals("@ELU", convert("ELU", "{}"), "Keras 3's ELU writes no alpha");
        assertEquals("@ELU(alpha = 0.5)", convert("ELU", "{\"alpha\": 0.5}"));
        assertEquals("@LeakyReLU(negativeSlope = 0.2)", convert("LeakyReLU", "{\"negative_slope\": 0.2}"));
        assertEquals("@LeakyReLU(negativeSlope = 0.1)", convert("LeakyReLU", "{\"alpha\": 0.1}"), "Keras 2's name");
        assertEquals("@LeakyReLU", convert("LeakyReLU", "{\"negative_slope\": 0.3}"));
        assertEquals("@ReLU", convert("ReLU", "{\"max_value\": null, \"negative_slope\": 0.0, \"threshold\": 0.0}"));
        assertEquals("@ReLU(maxValue = 6.0, threshold = 0.5)", convert("ReLU",
                "{\"max_value\": 6, \"negative_slope\": 0.0, \"threshold\": 0.5}"));
        assertEquals("@PReLU(sharedAxes = {1, 2})", convert("PReLU", "{\"shared_axes\": [1, 2]}"));
        assertEquals("@PReLU", convert("PReLU", "{\"shared_axes\": null}"));
        assertEquals("@Softmax(axis = 1)", convert("Softmax", "{\"axis\": 1}"));
    }

    /** A wrapper is written as its own annotation, then the wrapped layer's, on the same node. */
    @Test
    void theWrappers() {
        String lstm = "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"forward_lstm\", \"units\": 3,"
                + " \"return_sequences\": true, \"go_backwards\": false}}";
        String backward = "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"backward_lstm\", \"units\": 3,"
                + " \"return_sequences\": true, \"go_backwards\": true}}";
        KerasMapping.Layer bi = new KerasMapping.Layer("bi", "Bidirectional", json("{\"merge_mode\": \"ave\","
                + " \"layer\": " + lstm + ", \"backward_layer\": " + backward + "}"));
        assertEquals("@Bidirectional(mergeMode = MergeMode.AVE) @LSTM(units = 3, returnSequences = true)",
                KerasMapping.byKerasClassName().get("Bidirectional").annotation(bi));
        assertEquals(Set.of("dev.kiln.dsl.Bidirectional", "dev.kiln.dsl.LSTM", "dev.kiln.dsl.MergeMode"), bi.imports());
        assertEquals("@Bidirectional @GRU(units = 2, trainable = false)", convert("Bidirectional",
                "{\"trainable\": false, \"layer\": {\"class_name\": \"GRU\", \"config\": {\"units\": 2}}}"));
        assertEquals("@TimeDistributed @Dense(units = 8, activation = Activation.RELU)", convert("TimeDistributed",
                "{\"layer\": {\"class_name\": \"Dense\", \"config\": {\"units\": 8, \"activation\": \"relu\"}}}"));
    }

    @Test
    void settingsTheNewMappingsCannotExpressAreRefused() {
        assertEquals("layer 'l' (BatchNormalization) has axis 1 (Kiln normalizes over the last axis alone), which Kiln"
                + " cannot express", assertThrows(IllegalArgumentException.class, () -> convert("BatchNormalization",
                        "{\"axis\": 1}", java.util.Arrays.asList(null, 3, 8, 8))).getMessage());
        assertEquals("layer 'l' (LayerNormalization) has axis [1, 2] (Kiln normalizes over the last axis alone), which"
                + " Kiln cannot express", refusal("LayerNormalization", "{\"axis\": [1, 2]}"));
        assertEquals("layer 'l' (LayerNormalization) has rms_scaling = True, which Kiln cannot express",
                refusal("LayerNormalization", "{\"rms_scaling\": true}"));
        assertEquals("layer 'l' (PReLU) has trainable = False (Kiln trains every PReLU), which Kiln cannot express",
                refusal("PReLU", "{\"trainable\": false}"));
        assertEquals("layer 'l' (GlobalMaxPooling2D) has keepdims = True, which Kiln cannot express",
                refusal("GlobalMaxPooling2D", "{\"keepdims\": true}"));
        assertEquals("layer 'l' (UpSampling2D) has interpolation 'bicubic', which Kiln cannot express",
                refusal("UpSampling2D", "{\"size\": [2, 2], \"interpolation\": \"bicubic\"}"));
        assertEquals("layer 'l' (Dot) has axes [1, 2] (Kiln's Dot takes one axis for both inputs), which Kiln cannot"
                + " express", refusal("Dot", "{\"axes\": [1, 2]}"));
        assertEquals("layer 'l' (Bidirectional) has merge_mode None (two outputs from one node), which Kiln cannot"
                + " express", refusal("Bidirectional", "{\"merge_mode\": null}"));
        assertEquals("layer 'l' (Bidirectional) has a backward_layer that is not its layer run backwards (Kiln makes the"
                + " backward copy from the layer, as Keras does when none is given), which Kiln cannot express",
                refusal("Bidirectional", "{\"layer\": {\"class_name\": \"GRU\", \"config\": {\"units\": 2}},"
                        + " \"backward_layer\": {\"class_name\": \"GRU\", \"config\": {\"units\": 3,"
                        + " \"go_backwards\": true}}}"));
        assertEquals("layer 'l' (TimeDistributed) has a wrapped Conv2D (Kiln's TimeDistributed wraps Dense), which Kiln"
                + " cannot express", refusal("TimeDistributed",
                        "{\"layer\": {\"class_name\": \"Conv2D\", \"config\": {\"filters\": 2}}}"));
        assertEquals("layer 'l/forward_lstm' (LSTM) has stateful = True, which Kiln cannot express",
                refusal("Bidirectional", "{\"layer\": {\"class_name\": \"LSTM\", \"config\": {\"name\":"
                        + " \"forward_lstm\", \"units\": 2, \"stateful\": true}}}"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return (Map<String, Object>) Json.parse(text);
    }
}
