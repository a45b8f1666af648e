package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import java.util.List;
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

    /** Keras's Activation as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return ActivationConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Activation");
        }

        @Override
        public String annotation(Layer l) {
            return l.set("value", l.activation("activation")).annotation("ActivationLayer");
        }
    }
}
