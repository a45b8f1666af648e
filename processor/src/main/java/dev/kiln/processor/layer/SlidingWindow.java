package dev.kiln.processor.layer;

import dev.kiln.dsl.Padding;

/**
 * A window sliding along one spatial axis (a convolution's kernel, a pooling window), with Keras's output length and
 * TensorFlow's padding: {@code VALID} keeps windows inside, {@code floor((n - span) / stride) + 1} of them; {@code
 * SAME} gives {@code ceil(n / stride)}, padding {@code max((out - 1) * stride + span - n, 0)} zeros, half before and
 * the odd one after; {@code CAUSAL} pads {@code span - 1} zeros before and none after, so also {@code ceil(n / stride)}.
 */
record SlidingWindow(int size, int stride, int dilation, Padding padding) {
    /** The input cells one window covers, first to last: {@code (size - 1) * dilation + 1}. */
    long span() {
        return (long) (size - 1) * dilation + 1;
    }

    /** Windows along an axis of {@code n}; below 1 when a valid window does not fit. */
    long out(long n) {
        return padding != Padding.VALID ? (n + stride - 1) / stride : Math.floorDiv(n - span(), stride) + 1;
    }

    /** Zeros before the first cell. */
    int before(long n) {
        if (padding == Padding.VALID) {
            return 0;
        }
        if (padding == Padding.CAUSAL) {
            return (int) (span() - 1);
        }
        return (int) (Math.max((out(n) - 1) * stride + span() - n, 0) / 2);
    }

    /**
     * Whether ND4J's window ops, which take one explicit padding for both sides of an axis, compute this window on an
     * axis of {@code n}: as many zeros before as after, and their output length {@code floor((n + 2 pad - span) /
     * stride) + 1} is Keras's. True for {@code VALID}; for {@code SAME} where the padding is even; for {@code CAUSAL}
     * only when it pads nothing.
     */
    boolean evenlyPadded(long n) {
        long out = out(n);
        long before = before(n);
        long after = Math.max((out - 1) * stride + span() - n, 0) - before;
        return switch (padding) {
            case VALID -> true;
            case CAUSAL -> span() == 1;
            case SAME -> before == after && Math.floorDiv(n + 2 * before - span(), stride) + 1 == out;
        };
    }

    /** One value per spatial axis from an attribute written with one value for all axes or one for each. */
    static int pick(int[] values, int axis) {
        return values.length == 1 ? values[0] : values[axis];
    }
}
