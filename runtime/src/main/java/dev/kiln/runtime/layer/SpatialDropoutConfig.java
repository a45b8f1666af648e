package dev.kiln.runtime.layer;

import java.util.LinkedHashMap;
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
        return m;
    }
}
