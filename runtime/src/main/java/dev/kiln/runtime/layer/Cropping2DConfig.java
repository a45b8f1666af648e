package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @Cropping2D} (channels last): rows and columns cut off each image's border. {@code cropping} holds the four
 * sides, {@code top, bottom, left, right}.
 */
public record Cropping2DConfig(List<Integer> cropping) implements LayerConfig {
    public Cropping2DConfig {
        cropping = AxisValues.sides(cropping);
    }

    /** Keras's default: 0 on every side. */
    public Cropping2DConfig() {
        this(List.of(0));
    }

    /** One value for every side, two ({@code rows, columns}), or four ({@code top, bottom, left, right}). */
    public Cropping2DConfig withCropping(int... cropping) {
        return new Cropping2DConfig(AxisValues.list(cropping));
    }

    @Override
    public String kerasClassName() {
        return "Cropping2D";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cropping", List.of(cropping.subList(0, 2), cropping.subList(2, 4)));
        m.put("data_format", "channels_last");
        return m;
    }

    /** Keras's Cropping2D as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return Cropping2DConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Cropping2D");
        }

        @Override
        public String annotation(Layer l) {
            return l.channelsLast().sides("cropping", "cropping", 0).annotation("Cropping2D");
        }
    }
}
