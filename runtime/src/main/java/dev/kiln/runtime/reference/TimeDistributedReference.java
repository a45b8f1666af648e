package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.LayerConfig;
import dev.kiln.runtime.layer.TimeDistributedConfig;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code TimeDistributed} as {@code time_distributed.py} computes it: the batch and step axes folded into one,
 * {@code (batch * steps, ...)}, the wrapped layer's reference applied to that, and the result unfolded again.
 */
@AutoService(LayerReference.class)
public final class TimeDistributedReference implements LayerReference<TimeDistributedConfig> {
    @Override
    public Class<TimeDistributedConfig> configType() {
        return TimeDistributedConfig.class;
    }

    /** {@code (batch, steps, rest...)} as {@code (batch * steps, rest...)}, a copy. */
    private static INDArray fold(INDArray a) {
        long[] shape = a.shape();
        long[] folded = Arrays.copyOfRange(shape, 1, shape.length);
        folded[0] = shape[0] * shape[1];
        return a.dup('c').reshape('c', folded);
    }

    private static INDArray unfold(INDArray a, long batch) {
        long[] shape = a.shape();
        long[] out = new long[shape.length + 1];
        out[0] = batch;
        out[1] = shape[0] / batch;
        System.arraycopy(shape, 1, out, 2, shape.length - 1);
        return a.dup('c').reshape('c', out);
    }

    @Override
    public INDArray forward(TimeDistributedConfig c, INDArray[] inputs, LayerWeights w) {
        return unfold(run(c.layer(), fold(inputs[0]), w), inputs[0].size(0));
    }

    @Override
    public INDArray[] backward(TimeDistributedConfig c, INDArray[] inputs, INDArray output, INDArray dy,
            LayerWeights w) {
        INDArray[] dx = back(c.layer(), fold(inputs[0]), fold(output), fold(dy), w);
        return new INDArray[] {unfold(dx[0], inputs[0].size(0))};
    }

    private static <C extends LayerConfig> INDArray run(C config, INDArray x, LayerWeights w) {
        return References.forConfig(config).forward(config, new INDArray[] {x}, w);
    }

    private static <C extends LayerConfig> INDArray[] back(C config, INDArray x, INDArray y, INDArray dy,
            LayerWeights w) {
        return References.forConfig(config).backward(config, new INDArray[] {x}, y, dy, w);
    }
}
