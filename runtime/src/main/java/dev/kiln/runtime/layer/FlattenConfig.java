package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.List;
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

    /** Keras's Flatten as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return FlattenConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Flatten");
        }

        @Override
        public String annotation(Layer l) {
            return l.channelsLast().annotation("Flatten");
        }
    }
}
