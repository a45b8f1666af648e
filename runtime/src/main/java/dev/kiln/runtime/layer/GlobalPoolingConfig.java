package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** Keras's global poolings as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return GlobalPoolingConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D");
        }

        @Override
        public String annotation(Layer l) {
            return l.channelsLast().refuse("keepdims", true, "").annotation(l.className());
        }
    }
}
