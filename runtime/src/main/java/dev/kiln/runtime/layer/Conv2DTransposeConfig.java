package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Initializer;
import dev.kiln.dsl.Padding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @Conv2DTranspose} (channels last): kernel {@code (kh, kw, filters, in)}, bias {@code (filters)}. Sizes,
 * strides and dilations hold one value per axis; {@code outputPadding} one per axis, or none for Keras's {@code
 * None}.
 */
public record Conv2DTransposeConfig(int filters, List<Integer> kernelSize, List<Integer> strides, Padding padding,
        List<Integer> outputPadding, List<Integer> dilationRate, Activation activation, boolean useBias,
        Initializer kernelInitializer, Initializer biasInitializer, boolean trainable) implements LayerConfig {

    public Conv2DTransposeConfig {
        kernelSize = AxisValues.perAxis(kernelSize, 2);
        strides = AxisValues.perAxis(strides, 2);
        outputPadding = AxisValues.perAxis(outputPadding, 2);
        dilationRate = AxisValues.perAxis(dilationRate, 2);
    }

    /** Keras's defaults: strides 1, valid padding, no output padding, no dilation, linear, with a bias. */
    public Conv2DTransposeConfig(int filters, int... kernelSize) {
        this(filters, AxisValues.list(kernelSize), List.of(1), Padding.VALID, List.of(), List.of(1), Activation.LINEAR,
                true, Initializer.GLOROT_UNIFORM, Initializer.ZEROS, true);
    }

    public Conv2DTransposeConfig withStrides(int... strides) {
        return new Conv2DTransposeConfig(filters, kernelSize, AxisValues.list(strides), padding, outputPadding,
                dilationRate, activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public Conv2DTransposeConfig withPadding(Padding padding) {
        return new Conv2DTransposeConfig(filters, kernelSize, strides, padding, outputPadding, dilationRate,
                activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public Conv2DTransposeConfig withOutputPadding(int... outputPadding) {
        return new Conv2DTransposeConfig(filters, kernelSize, strides, padding, AxisValues.list(outputPadding),
                dilationRate, activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public Conv2DTransposeConfig withDilationRate(int... dilationRate) {
        return new Conv2DTransposeConfig(filters, kernelSize, strides, padding, outputPadding,
                AxisValues.list(dilationRate), activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public Conv2DTransposeConfig withActivation(Activation activation) {
        return new Conv2DTransposeConfig(filters, kernelSize, strides, padding, outputPadding, dilationRate,
                activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public Conv2DTransposeConfig withUseBias(boolean useBias) {
        return new Conv2DTransposeConfig(filters, kernelSize, strides, padding, outputPadding, dilationRate,
                activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public Conv2DTransposeConfig withKernelInitializer(Initializer kernelInitializer) {
        return new Conv2DTransposeConfig(filters, kernelSize, strides, padding, outputPadding, dilationRate,
                activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public Conv2DTransposeConfig withBiasInitializer(Initializer biasInitializer) {
        return new Conv2DTransposeConfig(filters, kernelSize, strides, padding, outputPadding, dilationRate,
                activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    public Conv2DTransposeConfig withTrainable(boolean trainable) {
        return new Conv2DTransposeConfig(filters, kernelSize, strides, padding, outputPadding, dilationRate,
                activation, useBias, kernelInitializer, biasInitializer, trainable);
    }

    @Override
    public String kerasClassName() {
        return "Conv2DTranspose";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filters", filters);
        m.put("kernel_size", kernelSize);
        m.put("strides", strides);
        m.put("padding", KerasNames.of(padding));
        m.put("output_padding", outputPadding.isEmpty() ? null : outputPadding);
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

    /** Keras's Conv2DTranspose as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return Conv2DTransposeConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Conv2DTranspose");
        }

        @Override
        public String annotation(Layer l) {
            l.channelsLast().integer("filters", "filters").ints("kernel_size", "kernelSize", List.of())
                    .ints("strides", "strides", List.of(1)).constant("padding", "padding", Padding.class, Padding.VALID);
            if (l.config().get("output_padding") != null) {
                l.ints("output_padding", "outputPadding", List.of());
            }
            return l.ints("dilation_rate", "dilationRate", List.of(1))
                    .activation("activation", "activation", Activation.LINEAR).bool("use_bias", "useBias", true)
                    .trainable().annotation("Conv2DTranspose");
        }
    }
}
