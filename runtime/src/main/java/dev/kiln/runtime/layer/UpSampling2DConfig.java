package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Interpolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @UpSampling2D} (channels last): rows {@code size[0]} times as many, columns {@code size[1]}, by nearest
 * repetition or bilinear interpolation at half-pixel centres.
 */
public record UpSampling2DConfig(List<Integer> size, Interpolation interpolation) implements LayerConfig {
    public UpSampling2DConfig {
        size = AxisValues.perAxis(size, 2);
    }

    /** Nearest, by {@code size}. */
    public UpSampling2DConfig(List<Integer> size) {
        this(size, Interpolation.NEAREST);
    }

    /** Keras's defaults: twice along both axes, nearest. */
    public UpSampling2DConfig() {
        this(List.of(2));
    }

    public UpSampling2DConfig withSize(int... size) {
        return new UpSampling2DConfig(AxisValues.list(size), interpolation);
    }

    public UpSampling2DConfig withInterpolation(Interpolation interpolation) {
        return new UpSampling2DConfig(size, interpolation);
    }

    @Override
    public String kerasClassName() {
        return "UpSampling2D";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", size);
        m.put("data_format", "channels_last");
        m.put("interpolation", KerasNames.of(interpolation));
        return m;
    }

    /** Keras's UpSampling2D as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return UpSampling2DConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("UpSampling2D");
        }

        @Override
        public String annotation(Layer l) {
            return l.channelsLast().ints("size", "size", List.of(2))
                    .constant("interpolation", "interpolation", Interpolation.class, Interpolation.NEAREST)
                    .annotation("UpSampling2D");
        }
    }
}
