package dev.kiln.runtime.layer;

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
}
