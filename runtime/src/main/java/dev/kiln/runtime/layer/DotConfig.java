package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Map;

/** {@code @Dot}: the dot product (or, normalized, the cosine) of two vectors per sample. */
public record DotConfig(int axes, boolean normalize) implements LayerConfig {
    public DotConfig() {
        this(-1, false);
    }

    public DotConfig withAxes(int axes) {
        return new DotConfig(axes, normalize);
    }

    public DotConfig withNormalize(boolean normalize) {
        return new DotConfig(axes, normalize);
    }

    @Override
    public String kerasClassName() {
        return "Dot";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("axes", axes, "normalize", normalize);
    }

    /** Keras's Dot as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return DotConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Dot");
        }

        @Override
        public String annotation(Layer l) {
            List<Integer> axes = l.ints("axes");
            if (axes == null || axes.isEmpty() || axes.stream().distinct().count() != 1) {
                throw l.unsupported("axes " + l.config().get("axes") + " (Kiln's Dot takes one axis for both inputs)");
            }
            if (axes.get(0) != -1) {
                l.set("axes", Integer.toString(axes.get(0)));
            }
            return l.bool("normalize", "normalize", false).annotation("Dot");
        }
    }
}
