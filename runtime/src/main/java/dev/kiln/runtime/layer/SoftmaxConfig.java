package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Map;

/** {@code @Softmax}: a softmax along {@code axis}, counted with the batch as axis 0 ({@code -1}: the last axis). */
public record SoftmaxConfig(int axis) implements LayerConfig {
    public SoftmaxConfig() {
        this(-1);
    }

    /** The axis of a batched array of {@code rank} axes, from 1 to {@code rank - 1}. */
    public int axisOf(int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    @Override
    public String kerasClassName() {
        return "Softmax";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("axis", axis);
    }

    /** Keras's Softmax as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return SoftmaxConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Softmax");
        }

        @Override
        public String annotation(Layer l) {
            if (l.config().get("axis") != null && !(l.config().get("axis") instanceof Number)) {
                throw l.unsupported("axis " + l.config().get("axis") + " (Kiln's Softmax takes one axis)");
            }
            return l.integer("axis", "axis", -1).annotation("Softmax");
        }
    }
}
