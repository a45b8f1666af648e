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
}
