package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code @LayerNormalization} over the last axis, with weights {@code gamma} and {@code beta} per feature. */
public record LayerNormalizationConfig(double epsilon, boolean center, boolean scale) implements LayerConfig {
    /** Keras's defaults: epsilon 1e-3, center and scale. */
    public LayerNormalizationConfig() {
        this(1e-3, true, true);
    }

    public LayerNormalizationConfig withEpsilon(double epsilon) {
        return new LayerNormalizationConfig(epsilon, center, scale);
    }

    public LayerNormalizationConfig withCenter(boolean center) {
        return new LayerNormalizationConfig(epsilon, center, scale);
    }

    public LayerNormalizationConfig withScale(boolean scale) {
        return new LayerNormalizationConfig(epsilon, center, scale);
    }

    @Override
    public String kerasClassName() {
        return "LayerNormalization";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("axis", -1);
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
        return names;
    }

    /** Keras's LayerNormalization as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return LayerNormalizationConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("LayerNormalization");
        }

        @Override
        public String annotation(Layer l) {
            return l.lastAxis("axis").number("epsilon", "epsilon", 1e-3).bool("center", "center", true)
                    .bool("scale", "scale", true).refuse("rms_scaling", true, "")
                    .refuse("trainable", false, "Kiln trains every LayerNormalization").annotation("LayerNormalization");
        }
    }
}
