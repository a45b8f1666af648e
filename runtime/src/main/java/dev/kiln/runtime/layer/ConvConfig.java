package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Initializer;
import dev.kiln.dsl.Padding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @Conv1D} and {@code @Conv2D} (channels last): {@code activation(conv(x, kernel) + bias)}, kernel {@code (k,
 * in, filters)} or {@code (kh, kw, in, filters)}, bias {@code (filters)}. One family with one config, since the two
 * differ only in their number of spatial axes, {@code rank}. Sizes, strides and dilations hold one value per spatial
 * axis (a single value written for a 2D layer is repeated, as Keras does).
 */
public record ConvConfig(int rank, int filters, List<Integer> kernelSize, List<Integer> strides, Padding padding,
        List<Integer> dilationRate, Activation activation, boolean useBias, Initializer kernelInitializer,
        Initializer biasInitializer, boolean trainable) implements LayerConfig {

    public ConvConfig {
        kernelSize = AxisValues.perAxis(kernelSize, rank);
        strides = AxisValues.perAxis(strides, rank);
        dilationRate = AxisValues.perAxis(dilationRate, rank);
    }

    /** Keras's defaults: strides 1, valid padding, no dilation, linear, with a bias, glorot_uniform kernel. */
    public ConvConfig(int rank, int filters, int... kernelSize) {
        this(rank, filters, AxisValues.list(kernelSize), List.of(1), Padding.VALID, List.of(1), Activation.LINEAR, true,
                Initializer.GLOROT_UNIFORM, Initializer.ZEROS, true);
    }

    public ConvConfig withStrides(int... strides) {
        return new ConvConfig(rank, filters, kernelSize, AxisValues.list(strides), padding, dilationRate, activation,
                useBias, kernelInitializer, biasInitializer, trainable);
    }

    public ConvConfig withPadding(Padding padding) {
        return new ConvConfig(rank, filters, kernelSize, strides, padding, dilationRate, activation, useBias,
                kernelInitializer, biasInitializer, trainable);
    }

    public ConvConfig withDilationRate(int... dilationRate) {
        return new ConvConfig(rank, filters, kernelSize, strides, padding, AxisValues.list(dilationRate), activation,
                useBias, kernelInitializer, biasInitializer, trainable);
    }

    public ConvConfig withActivation(Activation activation) {
        return new ConvConfig(rank, filters, kernelSize, strides, padding, dilationRate, activation, useBias,
                kernelInitializer, biasInitializer, trainable);
    }

    public ConvConfig withUseBias(boolean useBias) {
        return new ConvConfig(rank, filters, kernelSize, strides, padding, dilationRate, activation, useBias,
                kernelInitializer, biasInitializer, trainable);
    }

    public ConvConfig withKernelInitializer(Initializer kernelInitializer) {
        return new ConvConfig(rank, filters, kernelSize, strides, padding, dilationRate, activation, useBias,
                kernelInitializer, biasInitializer, trainable);
    }

    public ConvConfig withBiasInitializer(Initializer biasInitializer) {
        return new ConvConfig(rank, filters, kernelSize, strides, padding, dilationRate, activation, useBias,
                kernelInitializer, biasInitializer, trainable);
    }

    public ConvConfig withTrainable(boolean trainable) {
        return new ConvConfig(rank, filters, kernelSize, strides, padding, dilationRate, activation, useBias,
                kernelInitializer, biasInitializer, trainable);
    }

    @Override
    public String kerasClassName() {
        return "Conv" + rank + "D";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filters", filters);
        m.put("kernel_size", kernelSize);
        m.put("strides", strides);
        m.put("padding", KerasNames.of(padding));
        m.put("data_format", "channels_last");
        m.put("dilation_rate", dilationRate);
        m.put("activation", KerasNames.of(activation));
        m.put("use_bias", useBias);
        m.put("kernel_initializer", KerasNames.of(kernelInitializer));
        m.put("bias_initializer", KerasNames.of(biasInitializer));
        return m;
    }

    @Override
    public List<String> weightNames() {
        return useBias ? List.of("kernel", "bias") : List.of("kernel");
    }

    /** Keras's Conv1D and Conv2D as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return ConvConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Conv1D", "Conv2D");
        }

        @Override
        public String annotation(Layer l) {
            l.channelsLast().integer("filters", "filters").ints("kernel_size", "kernelSize", List.of())
                    .ints("strides", "strides", List.of(1)).constant("padding", "padding", Padding.class, Padding.VALID)
                    .ints("dilation_rate", "dilationRate", List.of(1))
                    .activation("activation", "activation", Activation.LINEAR).bool("use_bias", "useBias", true);
            if (l.config().get("groups") instanceof Number g && g.intValue() != 1) {
                throw l.unsupported("groups = " + g);
            }
            return l.trainable().annotation(l.className());
        }
    }
}
