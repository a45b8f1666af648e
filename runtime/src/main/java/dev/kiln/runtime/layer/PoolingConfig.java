package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Padding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @MaxPooling1D}, {@code @MaxPooling2D}, {@code @AveragePooling1D} and {@code @AveragePooling2D} (channels
 * last): the maximum or mean of each window. One family with one config: they differ in the operation and the number
 * of spatial axes. Sizes and strides hold one value per spatial axis; empty strides (the default) mean the pool size.
 */
public record PoolingConfig(Op op, int rank, List<Integer> poolSize, List<Integer> strides, Padding padding)
        implements LayerConfig {
    /** The reduction over a window. */
    public enum Op {
        MAX, AVERAGE
    }

    public PoolingConfig {
        poolSize = AxisValues.perAxis(poolSize, rank);
        strides = strides.isEmpty() ? List.of() : AxisValues.perAxis(strides, rank);
    }

    /** Keras's defaults: a window of 2 along each axis, strides of the window, valid padding. */
    public PoolingConfig(Op op, int rank) {
        this(op, rank, List.of(2), List.of(), Padding.VALID);
    }

    public PoolingConfig withPoolSize(int... poolSize) {
        return new PoolingConfig(op, rank, AxisValues.list(poolSize), strides, padding);
    }

    public PoolingConfig withStrides(int... strides) {
        return new PoolingConfig(op, rank, poolSize, AxisValues.list(strides), padding);
    }

    public PoolingConfig withPadding(Padding padding) {
        return new PoolingConfig(op, rank, poolSize, strides, padding);
    }

    /** The strides the windows move by: those written, or the pool size. */
    public List<Integer> windowStrides() {
        return strides.isEmpty() ? poolSize : strides;
    }

    @Override
    public String kerasClassName() {
        return (op == Op.MAX ? "MaxPooling" : "AveragePooling") + rank + "D";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool_size", poolSize);
        m.put("strides", windowStrides());
        m.put("padding", KerasNames.of(padding));
        m.put("data_format", "channels_last");
        return m;
    }

    /** Keras's max and average poolings as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return PoolingConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D");
        }

        @Override
        public String annotation(Layer l) {
            l.channelsLast().ints("pool_size", "poolSize", List.of(2));
            if (l.config().get("strides") != null && !java.util.Objects.equals(l.ints("strides"), l.ints("pool_size"))) {
                l.ints("strides", "strides", List.of());
            }
            return l.constant("padding", "padding", Padding.class, Padding.VALID).annotation(l.className());
        }
    }
}
