package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Map;

/** {@code @ELU}: {@code x} for {@code x > 0}, {@code alpha * (exp(x) - 1)} otherwise. */
public record ELUConfig(double alpha) implements LayerConfig {
    public ELUConfig() {
        this(1.0);
    }

    @Override
    public String kerasClassName() {
        return "ELU";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("alpha", alpha);
    }

    /** Keras's ELU as {@code dev.kiln.dsl} annotations, for the converter (Keras 3 writes no {@code alpha}: 1). */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return ELUConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("ELU");
        }

        @Override
        public String annotation(Layer l) {
            return l.number("alpha", "alpha", 1.0).annotation("ELU");
        }
    }
}
