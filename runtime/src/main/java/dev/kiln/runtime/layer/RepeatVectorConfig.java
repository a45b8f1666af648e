package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.List;
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

    /** Keras's RepeatVector as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return RepeatVectorConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("RepeatVector");
        }

        @Override
        public String annotation(Layer l) {
            return l.integer("n", "n").annotation("RepeatVector");
        }
    }
}
