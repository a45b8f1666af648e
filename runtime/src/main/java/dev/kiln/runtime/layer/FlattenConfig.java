package dev.kiln.runtime.layer;

import java.util.Map;

/** {@code @Flatten}: one sample's values as a vector, in row-major (channels-last) order. */
public record FlattenConfig() implements LayerConfig {
    @Override
    public String kerasClassName() {
        return "Flatten";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("data_format", "channels_last");
    }
}
