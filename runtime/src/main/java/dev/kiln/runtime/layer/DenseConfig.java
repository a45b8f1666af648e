package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Initializer;
import java.util.List;
import java.util.Map;

/** {@code @Dense}: {@code activation(x @ kernel + bias)}; kernel {@code (in, units)}, bias {@code (units)}. */
public record DenseConfig(int units, Activation activation, boolean useBias, Initializer kernelInitializer,
        Initializer biasInitializer, boolean trainable) implements LayerConfig {

    /** Keras's defaults: linear, with a bias, glorot_uniform kernel, zero bias, trainable. */
    public DenseConfig(int units) {
        this(units, Activation.LINEAR, true, Initializer.GLOROT_UNIFORM, Initializer.ZEROS, true);
    }

    public DenseConfig withActivation(Activation activation) {
        return new DenseConfig(units, activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public DenseConfig withUseBias(boolean useBias) {
        return new DenseConfig(units, activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public DenseConfig withKernelInitializer(Initializer kernelInitializer) {
        return new DenseConfig(units, activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public DenseConfig withBiasInitializer(Initializer biasInitializer) {
        return new DenseConfig(units, activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public DenseConfig withTrainable(boolean trainable) {
        return new DenseConfig(units, activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    @Override
    public String kerasClassName() {
        return "Dense";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("units", units, "activation", KerasNames.of(activation), "use_bias", useBias,
                "kernel_initializer", KerasNames.of(kernelInitializer), "bias_initializer", KerasNames.of(biasInitializer));
    }

    @Override
    public List<String> weightNames() {
        return useBias ? List.of("kernel", "bias") : List.of("kernel");
    }

    /** Keras's Dense as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return DenseConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Dense");
        }

        @Override
        public String annotation(Layer l) {
            return l.integer("units", "units").activation("activation", "activation", Activation.LINEAR)
                    .bool("use_bias", "useBias", true).trainable().annotation("Dense");
        }
    }
}
