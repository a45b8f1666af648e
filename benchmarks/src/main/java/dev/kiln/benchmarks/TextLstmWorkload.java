package dev.kiln.benchmarks;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * W3 (issue 13): Embedding(20000, 128) -> LSTM(128), last step -> Dense(1, sigmoid), binary cross-entropy, Adam 1e-3
 * (0.9, 0.999, 1e-7), batch 32, sequences of 80 ids from {@link SyntheticText}, float32.
 */
final class TextLstmWorkload implements Workload {
    private static final int BATCH = 32;
    private static final int UNITS = 128;
    private static final int EMBED = 128;

    @Override
    public String name() {
        return "text-lstm";
    }

    @Override
    public String description() {
        return "W3: Embedding(" + SyntheticText.VOCABULARY + ", " + EMBED + ") -> LSTM(" + UNITS + ") last step -> Dense(1,"
                + " sigmoid), binary cross-entropy, Adam(1e-3, 0.9, 0.999, 1e-7), batch " + BATCH + ", "
                + SyntheticText.STEPS + " steps, synthetic ids (" + SyntheticText.TRAIN + " train, " + SyntheticText.TEST
                + " test), float32";
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    @Override
    public TrainTest load() {
        return SyntheticText.load();
    }

    @Override
    public KilnModel kilnModel(long seed) {
        TextLstmModel model = TextLstmModel.create(seed);
        model.compile(new Adam(1e-3));
        return model;
    }

    /**
     * DL4J's {@code EmbeddingSequenceLayer} (ids as float, its input format), {@code LSTM} (tanh, sigmoid gates,
     * forget-gate bias 1 as Keras's unitForgetBias) wrapped in {@code LastTimeStep}, {@code OutputLayer(XENT, sigmoid)}.
     */
    @Override
    public Contender dl4j(TrainTest data, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new org.nd4j.linalg.learning.config.Adam(1e-3, 0.9, 0.999, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .biasInit(0)
                .graphBuilder()
                .addInputs("ids")
                .addLayer("embedded", new EmbeddingSequenceLayer.Builder().nIn(SyntheticText.VOCABULARY).nOut(EMBED)
                        .inputLength(SyntheticText.STEPS).build(), "ids")
                .addLayer("encoded", new LastTimeStep(new LSTM.Builder().nIn(EMBED).nOut(UNITS)
                        .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID)
                        .forgetGateBiasInit(1.0).build()), "embedded")
                .addLayer("label", new OutputLayer.Builder(LossFunction.XENT).nIn(UNITS).nOut(1)
                        .activation(Activation.SIGMOID).build(), "encoded")
                .setOutputs("label")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return new Dl4jContender(graph, data.train().inputs().get(0).castTo(DataType.FLOAT),
                data.train().targets().get(0), data.test().inputs().get(0).castTo(DataType.FLOAT),
                data.test().targets().get(0), BATCH, seed);
    }

    @Override
    public int timeLimitScale() {
        return 4;
    }

    @Override
    public String torchScript() {
        return "benchmarks/torch_mlp.py";
    }

    /**
     * The input projection of all steps as one GEMM and its two gradients; per step the recurrent projection, and
     * backward its kernel gradient and the state gradient (79 steps each); the output layer's.
     */
    @Override
    public List<GemmShape> stepGemms() {
        int rows = BATCH * SyntheticText.STEPS;
        List<GemmShape> gemms = new ArrayList<>();
        gemms.add(new GemmShape("fwd x.W lstm", rows, 4 * UNITS, EMBED, false, false));
        int steps = SyntheticText.STEPS - 1;
        gemms.add(new GemmShape("fwd h.U per step", BATCH, 4 * UNITS, UNITS, false, false, steps));
        gemms.add(new GemmShape("dU per step", UNITS, 4 * UNITS, BATCH, true, false, steps));
        gemms.add(new GemmShape("dh per step", BATCH, UNITS, 4 * UNITS, false, true, steps));
        gemms.add(new GemmShape("dW lstm", EMBED, 4 * UNITS, rows, true, false));
        gemms.add(new GemmShape("dX lstm", rows, EMBED, 4 * UNITS, false, true));
        gemms.add(new GemmShape("fwd label", BATCH, 1, UNITS, false, false));
        return gemms;
    }
}
