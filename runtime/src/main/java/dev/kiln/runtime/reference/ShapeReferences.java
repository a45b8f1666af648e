package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.DropoutConfig;
import dev.kiln.runtime.layer.FlattenConfig;
import dev.kiln.runtime.layer.LayerConfig;
import dev.kiln.runtime.layer.ReshapeConfig;
import dev.kiln.runtime.layer.SpatialDropoutConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layers that pass their values on unchanged, in a new shape or none: {@code Flatten}, {@code Reshape}, and
 * {@code Dropout} at inference (the reference runs in inference mode). Forward copies the values into the output's
 * shape; backward copies the gradient back into the input's.
 */
final class ShapeReferences {
    private ShapeReferences() {
    }

    private abstract static class PassThrough<C extends LayerConfig> implements LayerReference<C> {
        abstract long[] shape(C config, INDArray x);

        @Override
        public INDArray forward(C c, INDArray[] inputs, LayerWeights w) {
            INDArray x = inputs[0];
            return Naive.array(Naive.values(x), shape(c, x), x);
        }

        @Override
        public INDArray[] backward(C c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
            INDArray x = inputs[0];
            return new INDArray[] {Naive.array(Naive.values(dy), x.shape(), x)};
        }
    }

    @AutoService(LayerReference.class)
    public static final class Flatten extends PassThrough<FlattenConfig> {
        @Override
        public Class<FlattenConfig> configType() {
            return FlattenConfig.class;
        }

        @Override
        long[] shape(FlattenConfig c, INDArray x) {
            return new long[] {x.size(0), x.length() / x.size(0)};
        }
    }

    @AutoService(LayerReference.class)
    public static final class Reshape extends PassThrough<ReshapeConfig> {
        @Override
        public Class<ReshapeConfig> configType() {
            return ReshapeConfig.class;
        }

        @Override
        long[] shape(ReshapeConfig c, INDArray x) {
            int[] target = c.targetShape();
            long[] out = new long[target.length + 1];
            out[0] = x.size(0);
            long known = 1;
            int infer = -1;
            for (int i = 0; i < target.length; i++) {
                out[i + 1] = target[i];
                if (target[i] == -1) {
                    infer = i + 1;
                } else {
                    known *= target[i];
                }
            }
            if (infer > 0) {
                out[infer] = x.length() / x.size(0) / known;
            }
            return out;
        }
    }

    @AutoService(LayerReference.class)
    public static final class Dropout extends PassThrough<DropoutConfig> {
        @Override
        public Class<DropoutConfig> configType() {
            return DropoutConfig.class;
        }

        @Override
        long[] shape(DropoutConfig c, INDArray x) {
            return x.shape();
        }
    }

    /** Spatial dropout as the reference runs it: in inference mode, the identity. */
    @AutoService(LayerReference.class)
    public static final class SpatialDropout extends PassThrough<SpatialDropoutConfig> {
        @Override
        public Class<SpatialDropoutConfig> configType() {
            return SpatialDropoutConfig.class;
        }

        @Override
        long[] shape(SpatialDropoutConfig c, INDArray x) {
            return x.shape();
        }
    }
}
