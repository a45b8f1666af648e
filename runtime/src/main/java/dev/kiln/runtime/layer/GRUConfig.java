package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Initializer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @GRU}: Keras 3's GRU with {@code reset_after=True}: gate blocks {@code [z, r, h]}, kernel {@code (in, 3u)},
 * recurrent kernel {@code (u, 3u)}, bias {@code (2, 3u)} (the input's row, then the recurrent projection's).
 */
public record GRUConfig(int units, Activation activation, Activation recurrentActivation, boolean useBias,
        Initializer kernelInitializer, Initializer recurrentInitializer, Initializer biasInitializer,
        boolean returnSequences, boolean goBackwards, boolean trainable,
        double dropout, double recurrentDropout, long seed,
        boolean returnState)
        implements LayerConfig {
    /** Keras's defaults. */
    public GRUConfig(int units) {
        this(units, Activation.TANH, Activation.SIGMOID, true, Initializer.GLOROT_UNIFORM, Initializer.ORTHOGONAL,
                Initializer.ZEROS, false, false, true, 0, 0, 0, false);
    }

    public GRUConfig withActivation(Activation activation) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withRecurrentActivation(Activation recurrentActivation) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withUseBias(boolean useBias) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withKernelInitializer(Initializer kernelInitializer) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withRecurrentInitializer(Initializer recurrentInitializer) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withBiasInitializer(Initializer biasInitializer) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withReturnSequences(boolean returnSequences) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withGoBackwards(boolean goBackwards) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withTrainable(boolean trainable) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withDropout(double dropout) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withRecurrentDropout(double recurrentDropout) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withSeed(long seed) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    public GRUConfig withReturnState(boolean returnState) {
        return new GRUConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer,
                biasInitializer, returnSequences, goBackwards, trainable, dropout,
                recurrentDropout, seed, returnState);
    }

    @Override
    public String kerasClassName() {
        return "GRU";
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
        m.put("return_sequences", returnSequences);
        m.put("dropout", dropout);
        m.put("recurrent_dropout", recurrentDropout);
        m.put("seed", seed == 0 ? null : seed);
        m.put("go_backwards", goBackwards);
        m.put("return_state", returnState);
        m.put("reset_after", true);
        return m;
    }

    /** Keras keeps a recurrent layer's weights on its cell: {@code layers/gru/cell/vars/{0,1,2}}. */
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

    /** Keras's GRU as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return GRUConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("GRU");
        }

        @Override
        public List<String> states() {
            return new GRUConfig(1).stateNames();
        }

        @Override
        public String annotation(Layer l) {
            l.integer("units", "units").activation("activation", "activation", Activation.TANH)
                    .activation("recurrent_activation", "recurrentActivation", Activation.SIGMOID)
                    .bool("use_bias", "useBias", true)
                    .refuse("reset_after", false, "Kiln's GRU is Keras 3's, reset_after = True");
            return l.recurrent().annotation("GRU");
        }
    }
}
