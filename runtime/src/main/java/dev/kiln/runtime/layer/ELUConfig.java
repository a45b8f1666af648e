package dev.kiln.runtime.layer;

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
}
