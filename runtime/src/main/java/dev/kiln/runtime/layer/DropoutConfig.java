package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code @Dropout}: inverted dropout in training, identity at inference; {@code seed} 0 draws from the model's seed. */
public record DropoutConfig(double rate, long seed) implements LayerConfig {
    public DropoutConfig(double rate) {
        this(rate, 0);
    }

    public DropoutConfig withSeed(long seed) {
        return new DropoutConfig(rate, seed);
    }

    @Override
    public String kerasClassName() {
        return "Dropout";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate", rate);
        m.put("seed", seed == 0 ? null : seed);
        return m;
    }

    /** Keras's Dropout as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return DropoutConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Dropout");
        }

        @Override
        public String annotation(Layer l) {
            if (l.config().get("noise_shape") != null) {
                throw l.unsupported("noise_shape " + l.config().get("noise_shape"));
            }
            l.set("rate", Double.toString(l.number("rate")));
            return l.annotation("Dropout"); // the seed only shapes training's masks, which a converted model redraws
        }
    }
}
