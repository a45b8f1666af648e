package dev.kiln.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.runtime.layer.ConcatenateConfig;
import dev.kiln.runtime.layer.DotConfig;
import dev.kiln.runtime.layer.FlattenConfig;
import dev.kiln.runtime.layer.MergeConfig;
import dev.kiln.runtime.layer.MergeConfig.Op;
import dev.kiln.runtime.layer.PermuteConfig;
import dev.kiln.runtime.layer.RepeatVectorConfig;
import dev.kiln.runtime.layer.ReshapeConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The references of the weightless layers against numbers worked out by hand, so that the oracle the generated code is
 * checked against is itself pinned: merges (with broadcasting), concatenation, dot products, reshapes, permutations.
 */
class ReferenceValuesTest {
    private static INDArray a(double[] values, long... shape) {
        return Nd4j.create(values, shape, 'c');
    }

    private static void assertValues(double[] expected, long[] shape, INDArray actual) {
        assertArrayEquals(shape, actual.shape());
        assertArrayEquals(expected, actual.dup('c').data().asDouble(), 1e-15);
    }

    private static INDArray merge(Op op, INDArray... xs) {
        return new MergeReference().forward(new MergeConfig(op), xs, null);
    }

    @Test
    void merges() {
        INDArray x = a(new double[] {1, 2, 3, 4}, 2, 2);
        INDArray y = a(new double[] {10, 20, 30, 40}, 2, 2);
        INDArray ones = a(new double[] {1, 1, 1, 1}, 2, 2);
        long[] shape = {2, 2};
        assertValues(new double[] {11, 22, 33, 44}, shape, merge(Op.ADD, x, y));
        assertValues(new double[] {-9, -18, -27, -36}, shape, merge(Op.SUBTRACT, x, y));
        assertValues(new double[] {10, 40, 90, 160}, shape, merge(Op.MULTIPLY, x, y));
        assertValues(new double[] {4, 23 / 3.0, 34 / 3.0, 15}, shape, merge(Op.AVERAGE, x, y, ones));
        assertValues(new double[] {10, 20, 30, 40}, shape, merge(Op.MAXIMUM, x, y));
        assertValues(new double[] {1, 1, 1, 1}, shape, merge(Op.MINIMUM, x, y, ones));
    }

    @Test
    void mergesBroadcastAnAxisOfOne() {
        INDArray column = a(new double[] {1, 2}, 2, 1);
        INDArray y = a(new double[] {10, 20, 30, 40}, 2, 2);
        INDArray sum = merge(Op.ADD, column, y);
        assertValues(new double[] {11, 21, 32, 42}, new long[] {2, 2}, sum);
        // the broadcast input's gradient sums over the axis it was repeated along
        INDArray[] dx = new MergeReference().backward(new MergeConfig(Op.ADD), new INDArray[] {column, y},
                sum, a(new double[] {1, 2, 3, 4}, 2, 2), null);
        assertValues(new double[] {3, 7}, new long[] {2, 1}, dx[0]);
    }

    @Test
    void concatenateOnTheLastAndOnAMiddleAxis() {
        assertValues(new double[] {1, 2, 3}, new long[] {1, 3}, new ConcatenateReference().forward(
                new ConcatenateConfig(), new INDArray[] {a(new double[] {1, 2}, 1, 2), a(new double[] {3}, 1, 1)}, null));
        INDArray top = a(new double[] {1, 2, 3, 4}, 1, 2, 2);
        INDArray bottom = a(new double[] {5, 6}, 1, 1, 2);
        assertValues(new double[] {1, 2, 3, 4, 5, 6}, new long[] {1, 3, 2}, new ConcatenateReference().forward(
                new ConcatenateConfig(1), new INDArray[] {top, bottom}, null));
        INDArray[] dx = new ConcatenateReference().backward(new ConcatenateConfig(1), new INDArray[] {top, bottom},
                null, a(new double[] {1, 2, 3, 4, 5, 6}, 1, 3, 2), null);
        assertValues(new double[] {5, 6}, new long[] {1, 1, 2}, dx[1]);
    }

    @Test
    void dotAndCosine() {
        INDArray u = a(new double[] {1, 2, 3}, 1, 3);
        INDArray v = a(new double[] {4, 5, 6}, 1, 3);
        assertValues(new double[] {32}, new long[] {1, 1}, new DotReference().forward(new DotConfig(),
                new INDArray[] {u, v}, null));
        // 32 / (sqrt(14) sqrt(77))
        assertValues(new double[] {32 / Math.sqrt(14 * 77)}, new long[] {1, 1}, new DotReference().forward(
                new DotConfig(1, true), new INDArray[] {u, v}, null));
    }

    @Test
    void reshapesKeepRowMajorOrder() {
        INDArray x = a(new double[] {1, 2, 3, 4, 5, 6}, 1, 6);
        assertValues(new double[] {1, 2, 3, 4, 5, 6}, new long[] {1, 3, 2}, new ShapeReferences.Reshape().forward(
                new ReshapeConfig(3, -1), new INDArray[] {x}, null));
        assertValues(new double[] {1, 2, 3, 4, 5, 6}, new long[] {1, 6}, new ShapeReferences.Flatten().forward(
                new FlattenConfig(), new INDArray[] {a(new double[] {1, 2, 3, 4, 5, 6}, 1, 2, 3)}, null));
    }

    @Test
    void permuteTransposesASample() {
        INDArray x = a(new double[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        assertValues(new double[] {1, 4, 2, 5, 3, 6}, new long[] {1, 3, 2}, new PermuteReference().forward(
                new PermuteConfig(2, 1), new INDArray[] {x}, null));
        INDArray[] dx = new PermuteReference().backward(new PermuteConfig(2, 1), new INDArray[] {x}, null,
                a(new double[] {1, 4, 2, 5, 3, 6}, 1, 3, 2), null);
        assertValues(new double[] {1, 2, 3, 4, 5, 6}, new long[] {1, 2, 3}, dx[0]);
    }

    @Test
    void repeatVectorStacksCopies() {
        INDArray x = a(new double[] {1, 2}, 1, 2);
        assertValues(new double[] {1, 2, 1, 2, 1, 2}, new long[] {1, 3, 2}, new RepeatVectorReference().forward(
                new RepeatVectorConfig(3), new INDArray[] {x}, null));
        INDArray[] dx = new RepeatVectorReference().backward(new RepeatVectorConfig(3), new INDArray[] {x}, null,
                a(new double[] {1, 2, 3, 4, 5, 6}, 1, 3, 2), null);
        assertValues(new double[] {9, 12}, new long[] {1, 2}, dx[0]);
    }
}
