package dev.kiln.runtime.layer;

import dev.kiln.dsl.Activation;
import java.util.Map;

/** {@code @ActivationLayer}: Keras's {@code Activation} layer, one activation function as a node of its own. */
public record ActivationConfig(Activation activation) implements LayerConfig {
    @Override
    public String kerasClassName() {
        return "Activation";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("activation", KerasNames.of(activation));
    }
}
