package dev.kiln.runtime.layer;

import java.util.Map;

/** {@code @RepeatVector}: a vector {@code (d)} repeated into {@code (n, d)}. */
public record RepeatVectorConfig(int n) implements LayerConfig {
    @Override
    public String kerasClassName() {
        return "RepeatVector";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("n", n);
    }
}
