package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's element-wise merges, {@code Add}, {@code Subtract}, {@code Multiply}, {@code Average}, {@code Maximum} and
 * {@code Minimum}: one family with one config, since they differ only in the operation.
 */
public record MergeConfig(Op op) implements LayerConfig {
    /** The operation; its Keras class name is its name in title case. */
    public enum Op {
        ADD, SUBTRACT, MULTIPLY, AVERAGE, MAXIMUM, MINIMUM;

        public String kerasClassName() {
            return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public String kerasClassName() {
        return op.kerasClassName();
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of();
    }

    /** Keras's element-wise merges as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return MergeConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum");
        }

        @Override
        public String annotation(Layer l) {
            return l.annotation(l.className());
        }
    }
}
