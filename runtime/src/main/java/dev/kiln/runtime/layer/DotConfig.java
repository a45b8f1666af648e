package dev.kiln.runtime.layer;

import java.util.Map;

/** {@code @Dot}: the dot product (or, normalized, the cosine) of two vectors per sample. */
public record DotConfig(int axes, boolean normalize) implements LayerConfig {
    public DotConfig() {
        this(-1, false);
    }

    public DotConfig withAxes(int axes) {
        return new DotConfig(axes, normalize);
    }

    public DotConfig withNormalize(boolean normalize) {
        return new DotConfig(axes, normalize);
    }

    @Override
    public String kerasClassName() {
        return "Dot";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("axes", axes, "normalize", normalize);
    }
}
