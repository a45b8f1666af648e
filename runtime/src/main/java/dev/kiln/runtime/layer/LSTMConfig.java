package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Initializer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code @LSTM}: Keras's LSTM: gate blocks {@code [i, f, c, o]}, kernel {@code (in, 4u)}, recurrent kernel
 * {@code (u, 4u)}, one bias {@code (4u)} whose forget block starts at one ({@code unitForgetBias}).
 */
public record LSTMConfig(int units, Activation activation, Activation recurrentActivation, boolean useBias,
        Initializer kernelInitializer, Initializer recurrentInitializer, Initializer biasInitializer,
        boolean unitForgetBias, boolean returnSequences, boolean goBackwards, boolean trainable,
        double dropout, double recurrentDropout, long seed,
        boolean returnState)
        implements LayerConfig {
    /** Keras's defaults. */
    public LSTMConfig(int units) {
        this(units, Activation.TANH, Activation.SIGMOID, true, Initializer.GLOROT_UNIFORM, Initializer.ORTHOGONAL,
                Initializer.ZEROS, true, false, false, true, 0, 0, 0, false);
    }

    public LSTMConfig withActivation(Activation activation) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withRecurrentActivation(Activation recurrentActivation) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withUseBias(boolean useBias) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withKernelInitializer(Initializer kernelInitializer) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withRecurrentInitializer(Initializer recurrentInitializer) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withBiasInitializer(Initializer biasInitializer) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withUnitForgetBias(boolean unitForgetBias) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withReturnSequences(boolean returnSequences) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withGoBackwards(boolean goBackwards) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withTrainable(boolean trainable) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withDropout(double dropout) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withRecurrentDropout(double recurrentDropout) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withSeed(long seed) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public LSTMConfig withReturnState(boolean returnState) {
        return new LSTMConfig(units, activation, recurrentActivation, useBias, kernelInitializer,
                recurrentInitializer, biasInitializer, unitForgetBias, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    @Override
    public String kerasClassName() {
        return "LSTM";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("units", units);
        m.put("activation", KerasNames.of(activation));
        m.put("recurrent_activation", KerasNames.of(recurrentActivation));
        m.put("use_bias", useBias);
        m.put("kernel_initializer", KerasNames.of(kernelInitializer));
        m.put("recurrent_initializer", KerasNames.of(recurrentInitializer));
        m.put("bias_initializer", KerasNames.of(biasInitializer));
        m.put("unit_forget_bias", unitForgetBias);
        m.put("return_sequences", returnSequences);
        m.put("dropout", dropout);
        m.put("recurrent_dropout", recurrentDropout);
        m.put("seed", seed == 0 ? null : seed);
        m.put("go_backwards", goBackwards);
        m.put("return_state", returnState);
        return m;
    }

    /** Keras keeps a recurrent layer's weights on its cell: {@code layers/lstm/cell/vars/{0,1,2}}. */
    @Override
    public String kerasWeightsPath() {
        return "cell/vars";
    }

    /** With {@code returnState}, the final states. */
    @Override
    public List<String> partNames() {
        return returnState ? stateNames() : List.of();
    }

    @Override
    public List<String> stateNames() {
        return List.of("h", "c");
    }

    @Override
    public List<String> weightNames() {
        return useBias ? List.of("kernel", "recurrent_kernel", "bias")
                : List.of("kernel", "recurrent_kernel");
    }

    /** Keras's {@code unit_forget_bias}: the forget gate's block of the bias starts at one. */
    @Override
    public void initialize(Map<String, INDArray> weights) {
        if (useBias && unitForgetBias) {
            INDArray bias = weights.get("bias");
            for (int j = units; j < 2 * units; j++) {
                bias.putScalar(j, 1.0);
            }
        }
    }

    /** Keras's LSTM as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return LSTMConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("LSTM");
        }

        @Override
        public List<String> states() {
            return new LSTMConfig(1).stateNames();
        }

        @Override
        public String annotation(Layer l) {
            l.integer("units", "units").activation("activation", "activation", Activation.TANH)
                    .activation("recurrent_activation", "recurrentActivation", Activation.SIGMOID)
                    .bool("use_bias", "useBias", true).bool("unit_forget_bias", "unitForgetBias", true);
            return l.recurrent().annotation("LSTM");
        }
    }
}
