package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @ReLU}: {@code min(x, maxValue)} above {@code threshold}, {@code negativeSlope * (x - threshold)} at or below
 * it; {@code maxValue} is infinite when unbounded (Keras's {@code None}).
 */
public record ReLUConfig(double maxValue, double negativeSlope, double threshold) implements LayerConfig {
    /** Keras's defaults: {@code max(x, 0)}. */
    public ReLUConfig() {
        this(Double.POSITIVE_INFINITY, 0, 0);
    }

    public ReLUConfig withMaxValue(double maxValue) {
        return new ReLUConfig(maxValue, negativeSlope, threshold);
    }

    public ReLUConfig withNegativeSlope(double negativeSlope) {
        return new ReLUConfig(maxValue, negativeSlope, threshold);
    }

    public ReLUConfig withThreshold(double threshold) {
        return new ReLUConfig(maxValue, negativeSlope, threshold);
    }

    @Override
    public String kerasClassName() {
        return "ReLU";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_value", Double.isInfinite(maxValue) ? null : maxValue);
        m.put("negative_slope", negativeSlope);
        m.put("threshold", threshold);
        return m;
    }

    /** Keras's ReLU as {@code dev.kiln.dsl} annotations, for the converter ({@code max_value} None: unbounded). */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return ReLUConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("ReLU");
        }

        @Override
        public String annotation(Layer l) {
            return l.number("max_value", "maxValue", Double.POSITIVE_INFINITY).number("negative_slope", "negativeSlope", 0)
                    .number("threshold", "threshold", 0).annotation("ReLU");
        }
    }
}
