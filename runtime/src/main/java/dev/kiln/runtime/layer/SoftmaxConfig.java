package dev.kiln.runtime.layer;

import java.util.Map;

/** {@code @Softmax}: a softmax along {@code axis}, counted with the batch as axis 0 ({@code -1}: the last axis). */
public record SoftmaxConfig(int axis) implements LayerConfig {
    public SoftmaxConfig() {
        this(-1);
    }

    /** The axis of a batched array of {@code rank} axes, from 1 to {@code rank - 1}. */
    public int axisOf(int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    @Override
    public String kerasClassName() {
        return "Softmax";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("axis", axis);
    }
}
