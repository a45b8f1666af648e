package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Map;

/** {@code @LeakyReLU}: {@code x} for {@code x >= 0}, {@code negativeSlope * x} below; Keras 3's default slope 0.3. */
public record LeakyReLUConfig(double negativeSlope) implements LayerConfig {
    public LeakyReLUConfig() {
        this(0.3);
    }

    @Override
    public String kerasClassName() {
        return "LeakyReLU";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("negative_slope", negativeSlope);
    }

    /** Keras's LeakyReLU as {@code dev.kiln.dsl} annotations, for the converter (Keras 2's slope: {@code alpha}). */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return LeakyReLUConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("LeakyReLU");
        }

        @Override
        public String annotation(Layer l) {
            String key = l.config().containsKey("negative_slope") ? "negative_slope" : "alpha";
            return l.number(key, "negativeSlope", 0.3).annotation("LeakyReLU");
        }
    }
}
