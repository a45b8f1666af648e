package dev.kiln.runtime.layer;

import java.util.LinkedHashMap;
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
}
