package dev.kiln.runtime.layer;

import java.util.Map;

/** {@code @Concatenate}: joins the inputs along {@code axis} (Keras's count: batch axis 0, -1 the last). */
public record ConcatenateConfig(int axis) implements LayerConfig {
    public ConcatenateConfig() {
        this(-1);
    }

    @Override
    public String kerasClassName() {
        return "Concatenate";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("axis", axis);
    }
}
