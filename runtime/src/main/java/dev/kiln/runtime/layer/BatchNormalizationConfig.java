package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @BatchNormalization} over the last axis: batch statistics in training, moving ones at inference (and always
 * when not trainable); weights {@code gamma}, {@code beta} (trained), {@code moving_mean}, {@code moving_variance}.
 */
public record BatchNormalizationConfig(double momentum, double epsilon, boolean center, boolean scale,
        boolean trainable) implements LayerConfig {
    /** Keras's defaults: momentum 0.99, epsilon 1e-3, center and scale, trainable. */
    public BatchNormalizationConfig() {
        this(0.99, 1e-3, true, true, true);
    }

    public BatchNormalizationConfig withMomentum(double momentum) {
        return new BatchNormalizationConfig(momentum, epsilon, center, scale, trainable);
    }

    public BatchNormalizationConfig withEpsilon(double epsilon) {
        return new BatchNormalizationConfig(momentum, epsilon, center, scale, trainable);
    }

    public BatchNormalizationConfig withCenter(boolean center) {
        return new BatchNormalizationConfig(momentum, epsilon, center, scale, trainable);
    }

    public BatchNormalizationConfig withScale(boolean scale) {
        return new BatchNormalizationConfig(momentum, epsilon, center, scale, trainable);
    }

    public BatchNormalizationConfig withTrainable(boolean trainable) {
        return new BatchNormalizationConfig(momentum, epsilon, center, scale, trainable);
    }

    @Override
    public String kerasClassName() {
        return "BatchNormalization";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("axis", -1);
        m.put("momentum", momentum);
        m.put("epsilon", epsilon);
        m.put("center", center);
        m.put("scale", scale);
        return m;
    }

    @Override
    public List<String> weightNames() {
        List<String> names = new ArrayList<>();
        if (scale) {
            names.add("gamma");
        }
        if (center) {
            names.add("beta");
        }
        names.add("moving_mean");
        names.add("moving_variance");
        return names;
    }

    /** Keras's BatchNormalization as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return BatchNormalizationConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("BatchNormalization");
        }

        @Override
        public String annotation(Layer l) {
            return l.lastAxis("axis").number("momentum", "momentum", 0.99).number("epsilon", "epsilon", 1e-3)
                    .bool("center", "center", true).bool("scale", "scale", true)
                    .refuse("renorm", true, "batch renormalization").trainable().annotation("BatchNormalization");
        }
    }
}
