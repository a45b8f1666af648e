package dev.kiln.runtime.train;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import dev.kiln.runtime.optim.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Linear regression {@code y = x W + b} with mean squared error, a hand-written gradient and the optimizer's update
 * on one flat parameter vector. Predictions come out of one reused buffer, as a generated model's do.
 */
final class LinearModel implements Trainable {

    private final int in;
    private final int out;
    private final INDArray params;
    private final INDArray predictions;
    private Optimizer optimizer;
    final List<Path> saved = new ArrayList<>();

    LinearModel(int in, int out, int maxBatch) {
        this.in = in;
        this.out = out;
        this.params = Nd4j.zeros(DataType.FLOAT, (long) in * out + out);
        this.predictions = Nd4j.create(DataType.FLOAT, maxBatch, out);
    }

    void compile(Optimizer optimizer) {
        optimizer.build(new long[] {(long) in * out, out}, DataType.FLOAT);
        this.optimizer = optimizer;
    }

    INDArray kernel() {
        return params.get(NDArrayIndex.interval(0, (long) in * out)).dup().reshape(in, out);
    }

    INDArray bias() {
        return params.get(NDArrayIndex.interval((long) in * out, (long) in * out + out)).dup();
    }

    @Override
    public List<String> inputNames() {
        return List.of("x");
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(new OutputSpec("y", Loss.MEAN_SQUARED_ERROR, 1.0, List.of(Metric.MEAN_ABSOLUTE_ERROR)));
    }

    @Override
    public StepResult trainStep(INDArray[] inputs, INDArray[] targets) {
        if (optimizer == null) {
            throw new IllegalStateException("not compiled");
        }
        INDArray x = inputs[0];
        INDArray y = forward(x);
        INDArray diff = y.sub(targets[0]);
        double loss = diff.mul(diff).meanNumber().doubleValue();
        INDArray dy = diff.mul(2.0 / diff.length());
        INDArray dKernel = x.transpose().mmul(dy);
        INDArray dBias = dy.sum(0);
        INDArray grads = Nd4j.concat(0, dKernel.reshape((long) in * out), dBias.reshape(out));
        optimizer.apply(params, grads);
        return new StepResult(loss, new double[] {loss}, new INDArray[] {y});
    }

    @Override
    public StepResult testStep(INDArray[] inputs, INDArray[] targets) {
        INDArray y = forward(inputs[0]);
        INDArray diff = y.sub(targets[0]);
        double loss = diff.mul(diff).meanNumber().doubleValue();
        return new StepResult(loss, new double[] {loss}, new INDArray[] {y});
    }

    @Override
    public INDArray[] predictBatch(INDArray[] inputs) {
        return new INDArray[] {forward(inputs[0])};
    }

    /** Writes {@code x W + b} into the first rows of the reused prediction buffer and returns that view. */
    private INDArray forward(INDArray x) {
        INDArray y = ArraySource.rows(predictions, 0, x.size(0));
        y.assign(x.mmul(kernel()).addiRowVector(bias()));
        return y;
    }

    @Override
    public Optimizer optimizer() {
        return optimizer;
    }

    @Override
    public Map<String, INDArray> getWeights() {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        weights.put("y/kernel", kernel());
        weights.put("y/bias", bias());
        return weights;
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) {
        params.assign(Nd4j.concat(0, weights.get("y/kernel").reshape((long) in * out), weights.get("y/bias")));
    }

    @Override
    public void save(Path file) {
        saved.add(file);
    }
}
