package dev.kiln.runtime.optim;

import static dev.kiln.runtime.optim.Check.GRADS;
import static dev.kiln.runtime.optim.Check.SIZES;
import static dev.kiln.runtime.optim.Check.W0;
import static dev.kiln.runtime.optim.Check.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** What the base optimizer does for every rule: building, array checks, options, learning rate, state. */
class OptimizerTest {

    private static Adam built() {
        Adam adam = new Adam(0.1);
        adam.build(SIZES, DataType.DOUBLE);
        return adam;
    }

    private static INDArray weights() {
        return Nd4j.createFromArray(W0.clone());
    }

    private static INDArray grads(int step) {
        return Nd4j.createFromArray(GRADS[step].clone());
    }

    @Test
    void applyBeforeBuildSaysToCompile() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SGD().apply(weights(), grads(0)));
        assertEquals("SGD is not built: compile() must be called before training", e.getMessage());
    }

    @Test
    void buildChecksItsArguments() {
        rejects("Adam runs in float32 or float64, got INT", () -> new Adam().build(SIZES, DataType.INT32));
        rejects("Adam.build: variable 1 has size -3", () -> new Adam().build(new long[] {4, -3}, DataType.FLOAT));
        rejects("Adam.build: variableSizes is null", () -> new Adam().build(null, DataType.FLOAT));
    }

    @Test
    void buildingAgainForTheSameWeightsIsANoOpAndForOthersAnError() {
        Adam adam = built();
        adam.apply(weights(), grads(0));
        adam.build(SIZES.clone(), DataType.DOUBLE);
        assertEquals(1, adam.iterations());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> adam.build(new long[] {7}, DataType.DOUBLE));
        assertTrue(e.getMessage().contains("already built for variables of sizes [4, 3] in DOUBLE"), e.getMessage());
    }

    @Test
    void applyChecksTheArrays() {
        Adam adam = built();
        rejects("params must hold the 7 weights the optimizer was built for, got 6 elements",
                () -> adam.apply(Nd4j.zeros(DataType.DOUBLE, 6), grads(0)));
        rejects("grads must be DOUBLE like the optimizer (built by compile()), got FLOAT",
                () -> adam.apply(weights(), grads(0).castTo(DataType.FLOAT)));
        INDArray column = Nd4j.zeros(DataType.DOUBLE, 7, 2).getColumn(1);
        rejects("grads must be contiguous, got shape [7] with strides [2]", () -> adam.apply(weights(), column));
        rejects("params is null", () -> adam.apply(null, grads(0)));
    }

    @Test
    void stepsARowVectorAndAFreshViewOfTheSameMemoryAlike() {
        Adam plain = built();
        INDArray expected = weights();
        Adam viewed = built();
        INDArray buffer = Nd4j.zeros(DataType.DOUBLE, 12);
        INDArray row = Nd4j.zeros(DataType.DOUBLE, 1, 7);
        Adam rowed = built();
        buffer.get(NDArrayIndex.interval(3, 10)).assign(weights());
        row.assign(weights().reshape(1, 7));
        for (int step = 0; step < 3; step++) {
            plain.apply(expected, grads(step));
            viewed.apply(buffer.get(NDArrayIndex.interval(3, 10)), grads(step));
            rowed.apply(row, grads(step).reshape(1, 7));
        }
        assertArrayEquals(expected.toDoubleVector(), buffer.get(NDArrayIndex.interval(3, 10)).toDoubleVector());
        assertArrayEquals(expected.toDoubleVector(), row.toDoubleVector());
        assertEquals(0.0, buffer.getDouble(2));
        assertEquals(0.0, buffer.getDouble(10));
    }

    @Test
    void onlyOneClippingOption() {
        rejects("Adam: only one of clipnorm, clipvalue and globalClipnorm can be set, got clipnorm=1.0, clipvalue=null,"
                + " globalClipnorm=null and now clipvalue", () -> new Adam().clipnorm(1).clipvalue(0.5));
        rejects("only one of clipnorm, clipvalue and globalClipnorm", () -> new Adam().clipvalue(1).globalClipnorm(2));
        assertTrue(new Adam().clipnorm(1).clipnorm(2).config().contains("clipnorm=2.0"));
    }

    @Test
    void rejectsBadCommonOptions() {
        rejects("SGD: clipnorm must be a positive number, got 0.0", () -> new SGD().clipnorm(0));
        rejects("SGD: clipvalue must be a positive number, got -1.0", () -> new SGD().clipvalue(-1));
        rejects("SGD: globalClipnorm must be a positive number, got NaN", () -> new SGD().globalClipnorm(Double.NaN));
        rejects("SGD: weightDecay must be a number >= 0, got -0.1", () -> new SGD().weightDecay(-0.1));
        rejects("SGD: learningRate must be a positive number, got 0.0", () -> new SGD().setLearningRate(0));
    }

    @Test
    void hyperParametersAreFixedOnceBuilt() {
        Adam adam = built();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> adam.amsgrad(true));
        assertEquals("Adam is already built by compile(): set amsgrad before that", e.getMessage());
        assertThrows(IllegalStateException.class, () -> adam.clipnorm(1));
        assertThrows(IllegalStateException.class, () -> adam.weightDecay(0.1));
        adam.setLearningRate(0.5);
        assertEquals(0.5, adam.learningRate());
    }

    @Test
    void learningRateFollowsTheScheduleUntilSetToAConstant() {
        Adam adam = new Adam(new ExponentialDecay(0.1, 1, 0.5));
        adam.build(SIZES, DataType.DOUBLE);
        INDArray w = weights();
        assertEquals(0.1, adam.learningRate());
        adam.apply(w, grads(0));
        adam.apply(w, grads(1));
        assertEquals(0.025, adam.learningRate(), 1e-17);
        adam.setLearningRate(0.3);
        adam.apply(w, grads(2));
        assertEquals(0.3, adam.learningRate());
        assertTrue(adam.config().startsWith("Adam(learning_rate=0.3, "), adam.config());
    }

    @Test
    void configShowsSchedulesAndOptions() {
        assertEquals("SGD(learning_rate=ExponentialDecay(initial_learning_rate=0.1, decay_steps=100, decay_rate=0.96,"
                + " staircase=True), weight_decay=0.01, clipnorm=None, global_clipnorm=1.5, clipvalue=None,"
                + " momentum=0.9, nesterov=True)", new SGD(new ExponentialDecay(0.1, 100, 0.96, true)).momentum(0.9)
                .nesterov(true).weightDecay(0.01).globalClipnorm(1.5).config());
        assertTrue(new Adam(step -> 0.1).config().startsWith("Adam(learning_rate=custom_schedule, "));
    }

    @Test
    void stateIsCopiesOfTheSlotsAndTheIterationCount() {
        Adam adam = built();
        INDArray w = weights();
        adam.apply(w, grads(0));
        Map<String, INDArray> state = adam.state();
        assertEquals(List.of("momentum", "velocity", "iterations"), List.copyOf(state.keySet()));
        assertEquals(DataType.INT64, state.get("iterations").dataType());
        assertEquals(1L, state.get("iterations").getLong(0));
        assertEquals(DataType.DOUBLE, state.get("momentum").dataType());
        state.get("momentum").assign(42);
        assertTrue(adam.state().get("momentum").getDouble(0) != 42);
    }

    @Test
    void loadStateNamesWhatIsWrong() {
        Map<String, INDArray> good = built().state();
        Map<String, INDArray> missing = new LinkedHashMap<>(good);
        missing.remove("velocity");
        rejects("Adam state is missing slot 'velocity' (Adam with this config has slots [momentum, velocity])",
                () -> built().loadState(missing));
        Map<String, INDArray> shortSlot = new LinkedHashMap<>(good);
        shortSlot.put("momentum", Nd4j.zeros(DataType.DOUBLE, 6));
        rejects("Adam slot 'momentum' must hold 7 values, got 6", () -> built().loadState(shortSlot));
        Map<String, INDArray> extra = new LinkedHashMap<>(good);
        extra.put("velocity_hat", Nd4j.zeros(DataType.DOUBLE, 7));
        rejects("Adam state has slot 'velocity_hat', which Adam with this config does not have",
                () -> built().loadState(extra));
        Map<String, INDArray> noCount = new LinkedHashMap<>(good);
        noCount.remove("iterations");
        rejects("Adam state needs 'iterations', a count >= 0, got null", () -> built().loadState(noCount));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Adam().loadState(good));
        assertTrue(e.getMessage().contains("compile() must be called"), e.getMessage());
    }

    @Test
    void loadStateConvertsToTheOptimizersDtype() {
        Adam saved = new Adam(0.1);
        saved.build(SIZES, DataType.FLOAT);
        saved.apply(weights().castTo(DataType.FLOAT), grads(0).castTo(DataType.FLOAT));
        Adam loaded = built();
        loaded.loadState(saved.state());
        assertEquals(1, loaded.iterations());
        assertEquals(DataType.DOUBLE, loaded.state().get("momentum").dataType());
        assertArrayEquals(saved.state().get("velocity").toDoubleVector(),
                loaded.state().get("velocity").toDoubleVector());
    }

    @Test
    void aModelWithoutWeightsStepsNothing() {
        Nadam nadam = new Nadam();
        nadam.build(new long[0], DataType.FLOAT);
        nadam.apply(Nd4j.zeros(DataType.FLOAT, 1), Nd4j.zeros(DataType.FLOAT, 1));
        assertEquals(0, nadam.iterations());
        assertEquals(List.of("iterations"), List.copyOf(nadam.state().keySet()));
    }
}
