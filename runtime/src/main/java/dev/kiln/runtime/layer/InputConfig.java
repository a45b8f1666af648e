package dev.kiln.runtime.layer;

import dev.kiln.dsl.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code @Input}: Keras's {@code InputLayer}. A {@code -1} in {@code shape} is an axis known only at run time. */
public record InputConfig(int[] shape, DType dtype) implements LayerConfig {
    public InputConfig {
        shape = shape.clone();
    }

    public InputConfig(int... shape) {
        this(shape, DType.FLOAT32);
    }

    public InputConfig withDtype(DType dtype) {
        return new InputConfig(shape, dtype);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String kerasClassName() {
        return "InputLayer";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        List<Object> batchShape = new ArrayList<>();
        batchShape.add(null);
        Arrays.stream(shape).forEach(d -> batchShape.add(d < 0 ? null : d));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_shape", batchShape);
        m.put("dtype", KerasNames.of(dtype));
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputConfig c && Arrays.equals(shape, c.shape) && dtype == c.dtype;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + dtype.hashCode();
    }

    @Override
    public String toString() {
        return "InputConfig[shape=" + Arrays.toString(shape) + ", dtype=" + dtype + "]";
    }
}
