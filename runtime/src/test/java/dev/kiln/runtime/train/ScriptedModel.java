package dev.kiln.runtime.train;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import dev.kiln.runtime.optim.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fake model whose losses follow a script: {@code trainLoss} of the global training step, {@code valLoss} of the
 * number of training steps done. Predictions are the targets (perfect), or {@code predictions} when set. Its one
 * weight {@code w} counts the training steps, so restored weights show from which step they came.
 */
final class ScriptedModel implements Trainable {

    final List<OutputSpec> outputs;
    IntToDoubleFunction trainLoss = step -> 1.0;
    IntToDoubleFunction valLoss = stepsDone -> 1.0;
    final Optimizer optimizer = new dev.kiln.runtime.optim.SGD(0.1);
    final List<Integer> batchSizes = new ArrayList<>();
    final List<Float> trainIds = new ArrayList<>();
    final List<Float> testIds = new ArrayList<>();
    final List<Path> saved = new ArrayList<>();
    final List<String> events;
    int steps;
    double w;

    ScriptedModel(List<String> events, OutputSpec... outputs) {
        this.outputs = List.of(outputs);
        this.events = events;
    }

    /** One output {@code out} with mean squared error and no metric. */
    static ScriptedModel single() {
        return new ScriptedModel(new ArrayList<>(), new OutputSpec("out", Loss.MEAN_SQUARED_ERROR, 1.0, List.of()));
    }

    static OutputSpec output(String name, Loss loss, Metric... metrics) {
        return new OutputSpec(name, loss, 1.0, List.of(metrics));
    }

    @Override
    public List<String> inputNames() {
        return List.of("ids");
    }

    @Override
    public List<OutputSpec> outputs() {
        return outputs;
    }

    @Override
    public StepResult trainStep(INDArray[] inputs, INDArray[] targets) {
        events.add("step " + steps);
        batchSizes.add((int) inputs[0].size(0));
        for (float id : inputs[0].dup().data().asFloat()) {
            trainIds.add(id);
        }
        double loss = trainLoss.applyAsDouble(steps);
        steps++;
        w = steps;
        return result(loss, targets);
    }

    @Override
    public StepResult testStep(INDArray[] inputs, INDArray[] targets) {
        for (float id : inputs[0].dup().data().asFloat()) {
            testIds.add(id);
        }
        return result(valLoss.applyAsDouble(steps), targets);
    }

    private StepResult result(double loss, INDArray[] targets) {
        double[] perOutput = new double[outputs.size()];
        for (int o = 0; o < perOutput.length; o++) {
            perOutput[o] = outputs.get(o).loss() == Loss.NONE ? Double.NaN : loss * (o + 1);
        }
        return new StepResult(loss, perOutput, targets);
    }

    @Override
    public INDArray[] predictBatch(INDArray[] inputs) {
        return new INDArray[] {inputs[0]};
    }

    @Override
    public Optimizer optimizer() {
        return optimizer;
    }

    @Override
    public Map<String, INDArray> getWeights() {
        return Map.of("w", Nd4j.scalar(w));
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) {
        w = weights.get("w").getDouble(0);
    }

    @Override
    public void save(Path file) {
        saved.add(file);
    }
}
