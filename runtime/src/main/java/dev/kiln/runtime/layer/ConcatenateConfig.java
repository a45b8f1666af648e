package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.List;
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

    /** Keras's Concatenate as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return ConcatenateConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Concatenate");
        }

        @Override
        public String annotation(Layer l) {
            long axis = l.config().get("axis") == null ? -1 : l.integer("axis");
            if (axis != -1) {
                l.set("axis", Long.toString(axis));
            }
            return l.annotation("Concatenate");
        }
    }
}
