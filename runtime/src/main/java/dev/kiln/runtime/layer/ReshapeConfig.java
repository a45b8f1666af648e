package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** {@code @Reshape}: the same values in {@code targetShape} (one sample's shape; at most one -1, inferred). */
public record ReshapeConfig(int... targetShape) implements LayerConfig {
    public ReshapeConfig {
        targetShape = targetShape.clone();
    }

    @Override
    public int[] targetShape() {
        return targetShape.clone();
    }

    @Override
    public String kerasClassName() {
        return "Reshape";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("target_shape", Arrays.stream(targetShape).boxed().toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReshapeConfig c && Arrays.equals(targetShape, c.targetShape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(targetShape);
    }

    @Override
    public String toString() {
        return "ReshapeConfig[targetShape=" + Arrays.toString(targetShape) + "]";
    }

    /** Keras's Reshape as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return ReshapeConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Reshape");
        }

        @Override
        public String annotation(Layer l) {
            return l.exactInts("target_shape", "targetShape").annotation("Reshape");
        }
    }
}
