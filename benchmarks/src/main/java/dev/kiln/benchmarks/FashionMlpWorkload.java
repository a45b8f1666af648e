package dev.kiln.benchmarks;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Fashion-MNIST, 784 -> Dense 512 relu -> Dense 512 relu -> Dense 10 softmax, categorical cross-entropy, Adam 1e-3
 * (beta1 0.9, beta2 0.999, epsilon 1e-7), batch 128, glorot-uniform kernels, zero biases, float32.
 */
final class FashionMlpWorkload implements Workload {
    private static final int BATCH = 128;
    private static final int CLASSES = 10;

    @Override
    public String name() {
        return "fashion-mlp";
    }

    @Override
    public String description() {
        return "Fashion-MNIST MLP 784-512r-512r-10s, categorical cross-entropy, Adam(1e-3, 0.9, 0.999, 1e-7), batch "
                + BATCH + ", float32";
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    @Override
    public TrainTest load() throws IOException {
        return FashionMnist.load();
    }

    @Override
    public KilnModel kilnModel(long seed) {
        FashionMlpModel model = FashionMlpModel.create(seed);
        model.compile(new Adam(1e-3)); // Keras's defaults: beta1 0.9, beta2 0.999, epsilon 1e-7
        return model;
    }

    @Override
    public Contender dl4j(TrainTest data, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new org.nd4j.linalg.learning.config.Adam(1e-3, 0.9, 0.999, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM) // glorot uniform: U(+-sqrt(6 / (fanIn + fanOut)))
                .biasInit(0)
                .graphBuilder()
                .addInputs("pixels")
                .addLayer("hidden1", new DenseLayer.Builder().nIn(784).nOut(512).activation(Activation.RELU).build(),
                        "pixels")
                .addLayer("hidden2", new DenseLayer.Builder().nIn(512).nOut(512).activation(Activation.RELU).build(),
                        "hidden1")
                .addLayer("label", new OutputLayer.Builder(LossFunction.MCXENT).nIn(512).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "hidden2")
                .setOutputs("label")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return new Dl4jContender(graph, data, BATCH, CLASSES, seed);
    }

    @Override
    public String torchScript() {
        return "benchmarks/torch_mlp.py";
    }

    /** Forward x.W for each layer; backward x^T.dY into each kernel's gradient and dY.W^T into the two upper inputs. */
    @Override
    public List<GemmShape> stepGemms() {
        return List.of(
                new GemmShape("fwd hidden1", BATCH, 512, 784, false, false),
                new GemmShape("fwd hidden2", BATCH, 512, 512, false, false),
                new GemmShape("fwd label", BATCH, CLASSES, 512, false, false),
                new GemmShape("dW label", 512, CLASSES, BATCH, true, false),
                new GemmShape("dX label", BATCH, 512, CLASSES, false, true),
                new GemmShape("dW hidden2", 512, 512, BATCH, true, false),
                new GemmShape("dX hidden2", BATCH, 512, 512, false, true),
                new GemmShape("dW hidden1", 784, 512, BATCH, true, false));
    }
}
