package dev.kiln.runtime.layer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code @GlobalMaxPooling1D/2D} and {@code @GlobalAveragePooling1D/2D} (channels last, {@code keepdims=False}): the
 * maximum or mean of each channel over every spatial position. One family, one config.
 */
public record GlobalPoolingConfig(PoolingConfig.Op op, int rank) implements LayerConfig {
    @Override
    public String kerasClassName() {
        return (op == PoolingConfig.Op.MAX ? "GlobalMaxPooling" : "GlobalAveragePooling") + rank + "D";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_format", "channels_last");
        m.put("keepdims", false);
        return m;
    }
}
