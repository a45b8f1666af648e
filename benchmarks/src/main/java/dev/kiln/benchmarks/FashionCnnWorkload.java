package dev.kiln.benchmarks;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * W2 (issue 12): Fashion-MNIST (28, 28, 1) -> Conv2D 32 3x3 relu (valid) -> Conv2D 64 3x3 relu (valid) ->
 * MaxPooling2D 2x2 -> Flatten -> Dense 128 relu -> Dense 10 softmax, categorical cross-entropy, Adam 1e-3 (0.9, 0.999,
 * 1e-7), batch 128, glorot-uniform kernels, zero biases, float32.
 *
 * <p>Kiln takes the images channels last, {@code (n, 28, 28, 1)}; Deeplearning4j's convolutions default to
 * {@code CNN2DFormat.NCHW} and get {@code (n, 1, 28, 28)}. With one channel both are the same bytes: the 784 pixels of
 * an image row by row.
 */
final class FashionCnnWorkload implements Workload {
    private static final int BATCH = 128;
    private static final int CLASSES = 10;
    private static final int SIDE = 28;
    private static final int FILTERS1 = 32;
    private static final int FILTERS2 = 64;
    private static final int UNITS = 128;

    @Override
    public String name() {
        return "fashion-cnn";
    }

    @Override
    public String description() {
        return "W2: Fashion-MNIST CNN (28,28,1) -> Conv2D " + FILTERS1 + " 3x3 relu -> Conv2D " + FILTERS2
                + " 3x3 relu -> MaxPool 2x2 -> Flatten -> Dense " + UNITS + " relu -> Dense 10 softmax, categorical"
                + " cross-entropy, Adam(1e-3, 0.9, 0.999, 1e-7), batch " + BATCH + ", float32";
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    /** The 784-pixel rows as channels-last images {@code (n, 28, 28, 1)}, Kiln's (and Keras's) layout. */
    @Override
    public TrainTest load() throws IOException {
        TrainTest flat = FashionMnist.load();
        return new TrainTest(images(flat.train()), images(flat.test()));
    }

    private static Dataset images(Dataset flat) {
        INDArray x = flat.inputs().get(0);
        return Dataset.of(x.reshape('c', x.size(0), SIDE, SIDE, 1), flat.targets().get(0));
    }

    @Override
    public KilnModel kilnModel(long seed) {
        FashionCnnModel model = FashionCnnModel.create(seed);
        model.compile(new Adam(1e-3)); // Keras's defaults: beta1 0.9, beta2 0.999, epsilon 1e-7
        return model;
    }

    /**
     * {@code ConvolutionLayer} (truncate mode: Keras's valid padding) twice, {@code SubsamplingLayer(MAX)} 2x2 stride 2,
     * the flattening preprocessor DL4J inserts from the input type, {@code DenseLayer}, {@code OutputLayer(MCXENT,
     * softmax)}. DL4J's {@code XAVIER_UNIFORM} counts a convolution's fans as Keras's glorot does (kernel area times
     * input, resp. output, channels).
     */
    @Override
    public Contender dl4j(TrainTest data, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new org.nd4j.linalg.learning.config.Adam(1e-3, 0.9, 0.999, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .biasInit(0)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs("image")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, 1)) // NCHW, DL4J's default format
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(FILTERS1)
                        .activation(Activation.RELU).build(), "image")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(FILTERS2)
                        .activation(Activation.RELU).build(), "conv1")
                .addLayer("pooled", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "conv2")
                .addLayer("hidden", new DenseLayer.Builder().nOut(UNITS).activation(Activation.RELU).build(), "pooled")
                .addLayer("label", new OutputLayer.Builder(LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("label")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return new Dl4jContender(graph, nchw(data.train()), BenchArrays.oneHot(data.train().targets().get(0), CLASSES),
                nchw(data.test()), BenchArrays.oneHot(data.test().targets().get(0), CLASSES), BATCH, seed);
    }

    /** {@code (n, 28, 28, 1)} as {@code (n, 1, 28, 28)}: with one channel a reshape, no pixel moves. */
    private static INDArray nchw(Dataset images) {
        INDArray x = images.inputs().get(0);
        return x.reshape('c', x.size(0), 1, SIDE, SIDE);
    }

    /** DL4J trains W2 at under a hundred samples per second here: its one-epoch accuracy run alone takes minutes. */
    @Override
    public int timeLimitScale() {
        return 10;
    }

    /** No W2 model in the PyTorch script (PyTorch is not installed here); the harness leaves its column out. */
    @Override
    public String torchScript() {
        return "benchmarks/torch_mlp.py";
    }

    /**
     * The im2col GEMMs of the convolutions (rows: batch x output positions; columns: 3x3 x input channels) and the
     * dense layers. Forward: columns.W for each convolution, x.W for each dense layer. Backward: columns^T.dY into each
     * kernel's gradient; dY.W^T into the input of every layer but the first (conv1's input is the data; conv2's goes
     * through col2im).
     */
    @Override
    public List<GemmShape> stepGemms() {
        int out1 = SIDE - 2;
        int out2 = out1 - 2;
        int rows1 = BATCH * out1 * out1;
        int rows2 = BATCH * out2 * out2;
        int k1 = 3 * 3;
        int k2 = 3 * 3 * FILTERS1;
        int flat = (out2 / 2) * (out2 / 2) * FILTERS2;
        return List.of(
                new GemmShape("fwd conv1", rows1, FILTERS1, k1, false, false),
                new GemmShape("fwd conv2", rows2, FILTERS2, k2, false, false),
                new GemmShape("fwd hidden", BATCH, UNITS, flat, false, false),
                new GemmShape("fwd label", BATCH, CLASSES, UNITS, false, false),
                new GemmShape("dW label", UNITS, CLASSES, BATCH, true, false),
                new GemmShape("dX label", BATCH, UNITS, CLASSES, false, true),
                new GemmShape("dW hidden", flat, UNITS, BATCH, true, false),
                new GemmShape("dX hidden", BATCH, flat, UNITS, false, true),
                new GemmShape("dW conv2", k2, FILTERS2, rows2, true, false),
                new GemmShape("dcols conv2", rows2, k2, FILTERS2, false, true),
                new GemmShape("dW conv1", k1, FILTERS1, rows1, true, false));
    }
}
