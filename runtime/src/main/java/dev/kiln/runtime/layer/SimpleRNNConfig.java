package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Initializer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code @SimpleRNN}: {@code h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)}, Keras's layouts. */
public record SimpleRNNConfig(int units, Activation activation, boolean useBias, Initializer kernelInitializer,
        Initializer recurrentInitializer, Initializer biasInitializer, boolean returnSequences, boolean goBackwards,
        boolean trainable,
        double dropout, double recurrentDropout, long seed,
        boolean returnState)
        implements LayerConfig {
    /** Keras's defaults. */
    public SimpleRNNConfig(int units) {
        this(units, Activation.TANH, true, Initializer.GLOROT_UNIFORM, Initializer.ORTHOGONAL, Initializer.ZEROS,
                false, false, true, 0, 0, 0, false);
    }

    public SimpleRNNConfig withActivation(Activation activation) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withUseBias(boolean useBias) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withKernelInitializer(Initializer kernelInitializer) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withRecurrentInitializer(Initializer recurrentInitializer) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withBiasInitializer(Initializer biasInitializer) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withReturnSequences(boolean returnSequences) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withGoBackwards(boolean goBackwards) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withTrainable(boolean trainable) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withDropout(double dropout) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withRecurrentDropout(double recurrentDropout) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withSeed(long seed) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public SimpleRNNConfig withReturnState(boolean returnState) {
        return new SimpleRNNConfig(units, activation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    @Override
    public String kerasClassName() {
        return "SimpleRNN";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("units", units);
        m.put("activation", KerasNames.of(activation));
        m.put("use_bias", useBias);
        m.put("kernel_initializer", KerasNames.of(kernelInitializer));
        m.put("recurrent_initializer", KerasNames.of(recurrentInitializer));
        m.put("bias_initializer", KerasNames.of(biasInitializer));
        m.put("return_sequences", returnSequences);
        m.put("dropout", dropout);
        m.put("recurrent_dropout", recurrentDropout);
        m.put("seed", seed == 0 ? null : seed);
        m.put("go_backwards", goBackwards);
        m.put("return_state", returnState);
        return m;
    }

    /** Keras keeps a recurrent layer's weights on its cell: {@code layers/simple_rnn/cell/vars/{0,1,2}}. */
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
        return List.of("h");
    }

    @Override
    public List<String> weightNames() {
        return useBias ? List.of("kernel", "recurrent_kernel", "bias")
                : List.of("kernel", "recurrent_kernel");
    }

    /** Keras's SimpleRNN as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return SimpleRNNConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("SimpleRNN");
        }

        @Override
        public List<String> states() {
            return new SimpleRNNConfig(1).stateNames();
        }

        @Override
        public String annotation(Layer l) {
            l.integer("units", "units").activation("activation", "activation", Activation.TANH)
                    .bool("use_bias", "useBias", true);
            return l.recurrent().annotation("SimpleRNN");
        }
    }
}
