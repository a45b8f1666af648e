package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @SpatialDropout1D} and {@code @SpatialDropout2D}: whole channels dropped in training, identity at inference;
 * {@code rank} is 1 or 2 (Keras's class), {@code seed} 0 draws from the model's seed.
 */
public record SpatialDropoutConfig(int rank, double rate, long seed) implements LayerConfig {
    public SpatialDropoutConfig(int rank, double rate) {
        this(rank, rate, 0);
    }

    public SpatialDropoutConfig withSeed(long seed) {
        return new SpatialDropoutConfig(rank, rate, seed);
    }

    @Override
    public String kerasClassName() {
        return "SpatialDropout" + rank + "D";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate", rate);
        m.put("seed", seed == 0 ? null : seed);
        if (rank == 2) {
            m.put("data_format", "channels_last");
        }
        return m;
    }

    /** Keras 3's SpatialDropout1D/2D take {@code rate}, {@code seed}, {@code name} and {@code dtype} alone. */
    @Override
    public boolean kerasConfigHasTrainable() {
        return false;
    }

    /** Keras's SpatialDropout1D and SpatialDropout2D as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return SpatialDropoutConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("SpatialDropout1D", "SpatialDropout2D");
        }

        @Override
        public String annotation(Layer l) {
            l.channelsLast().set("rate", Double.toString(l.number("rate")));
            return l.annotation(l.className()); // the seed only shapes training's masks, which a converted model redraws
        }
    }
}
