package dev.kiln.runtime.train;

import dev.kiln.runtime.optim.Optimizer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Plain SGD implementing the abstract optimizer contract, for tests. */
final class StubOptimizer extends Optimizer {

    private double learningRate;
    private long iterations;

    StubOptimizer(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void build(long[] variableSizes, DataType dtype) {
    }

    @Override
    public void apply(INDArray params, INDArray grads) {
        params.subi(grads.mul(learningRate));
        iterations++;
    }

    @Override
    public long iterations() {
        return iterations;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public String config() {
        return "SGD(learning_rate=" + learningRate + ")";
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> state = new HashMap<>();
        state.put("iterations", Nd4j.scalar(iterations));
        return state;
    }

    @Override
    public void loadState(Map<String, INDArray> state) {
        iterations = state.get("iterations").getLong(0);
    }
}
