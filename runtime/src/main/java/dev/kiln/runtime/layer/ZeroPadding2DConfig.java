package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @ZeroPadding2D} (channels last): rows and columns of zeros around each image. {@code padding} holds the four
 * sides, {@code top, bottom, left, right}.
 */
public record ZeroPadding2DConfig(List<Integer> padding) implements LayerConfig {
    public ZeroPadding2DConfig {
        padding = AxisValues.sides(padding);
    }

    /** Keras's default: 1 on every side. */
    public ZeroPadding2DConfig() {
        this(List.of(1));
    }

    /** One value for every side, two ({@code rows, columns}), or four ({@code top, bottom, left, right}). */
    public ZeroPadding2DConfig withPadding(int... padding) {
        return new ZeroPadding2DConfig(AxisValues.list(padding));
    }

    @Override
    public String kerasClassName() {
        return "ZeroPadding2D";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("padding", List.of(padding.subList(0, 2), padding.subList(2, 4)));
        m.put("data_format", "channels_last");
        return m;
    }

    /** Keras's ZeroPadding2D as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return ZeroPadding2DConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("ZeroPadding2D");
        }

        @Override
        public String annotation(Layer l) {
            return l.channelsLast().sides("padding", "padding", 1).annotation("ZeroPadding2D");
        }
    }
}
