package dev.kiln.runtime.layer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @UpSampling2D} (channels last, nearest): each row repeated {@code size[0]} times, each column {@code size[1]}.
 */
public record UpSampling2DConfig(List<Integer> size) implements LayerConfig {
    public UpSampling2DConfig {
        size = AxisValues.perAxis(size, 2);
    }

    /** Keras's default: twice along both axes. */
    public UpSampling2DConfig() {
        this(List.of(2));
    }

    public UpSampling2DConfig withSize(int... size) {
        return new UpSampling2DConfig(AxisValues.list(size));
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
        m.put("interpolation", "nearest");
        return m;
    }
}
