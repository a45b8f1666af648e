package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Initializer;
import dev.kiln.dsl.Padding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @SeparableConv2D} (channels last): a depthwise convolution, kernel {@code depthwise_kernel (kh, kw, in,
 * depthMultiplier)}, then a pointwise one, {@code pointwise_kernel (1, 1, in * depthMultiplier, filters)}, then
 * {@code bias (filters)} and the activation. Sizes, strides and dilations (the depthwise step's) hold one value per
 * axis.
 */
public record SeparableConv2DConfig(int filters, List<Integer> kernelSize, List<Integer> strides, Padding padding,
        int depthMultiplier, List<Integer> dilationRate, Activation activation, boolean useBias,
        Initializer depthwiseInitializer, Initializer pointwiseInitializer, Initializer biasInitializer,
        boolean trainable) implements LayerConfig {

    public SeparableConv2DConfig {
        kernelSize = AxisValues.perAxis(kernelSize, 2);
        strides = AxisValues.perAxis(strides, 2);
        dilationRate = AxisValues.perAxis(dilationRate, 2);
    }

    /** Keras's defaults: strides 1, valid padding, depth multiplier 1, no dilation, linear, with a bias. */
    public SeparableConv2DConfig(int filters, int... kernelSize) {
        this(filters, AxisValues.list(kernelSize), List.of(1), Padding.VALID, 1, List.of(1), Activation.LINEAR, true,
                Initializer.GLOROT_UNIFORM, Initializer.GLOROT_UNIFORM, Initializer.ZEROS, true);
    }

    public SeparableConv2DConfig withStrides(int... strides) {
        return new SeparableConv2DConfig(filters, kernelSize, AxisValues.list(strides), padding, depthMultiplier,
                dilationRate, activation, useBias, depthwiseInitializer, pointwiseInitializer, biasInitializer,
                trainable);
    }

    public SeparableConv2DConfig withPadding(Padding padding) {
        return new SeparableConv2DConfig(filters, kernelSize, strides, padding, depthMultiplier, dilationRate,
                activation, useBias, depthwiseInitializer, pointwiseInitializer, biasInitializer, trainable);
    }

    public SeparableConv2DConfig withDepthMultiplier(int depthMultiplier) {
        return new SeparableConv2DConfig(filters, kernelSize, strides, padding, depthMultiplier, dilationRate,
                activation, useBias, depthwiseInitializer, pointwiseInitializer, biasInitializer, trainable);
    }

    public SeparableConv2DConfig withDilationRate(int... dilationRate) {
        return new SeparableConv2DConfig(filters, kernelSize, strides, padding, depthMultiplier,
                AxisValues.list(dilationRate), activation, useBias, depthwiseInitializer, pointwiseInitializer,
                biasInitializer, trainable);
    }

    public SeparableConv2DConfig withActivation(Activation activation) {
        return new SeparableConv2DConfig(filters, kernelSize, strides, padding, depthMultiplier, dilationRate,
                activation, useBias, depthwiseInitializer, pointwiseInitializer, biasInitializer, trainable);
    }

    public SeparableConv2DConfig withUseBias(boolean useBias) {
        return new SeparableConv2DConfig(filters, kernelSize, strides, padding, depthMultiplier, dilationRate,
                activation, useBias, depthwiseInitializer, pointwiseInitializer, biasInitializer, trainable);
    }

    public SeparableConv2DConfig withDepthwiseInitializer(Initializer depthwiseInitializer) {
        return new SeparableConv2DConfig(filters, kernelSize, strides, padding, depthMultiplier, dilationRate,
                activation, useBias, depthwiseInitializer, pointwiseInitializer, biasInitializer, trainable);
    }

    public SeparableConv2DConfig withPointwiseInitializer(Initializer pointwiseInitializer) {
        return new SeparableConv2DConfig(filters, kernelSize, strides, padding, depthMultiplier, dilationRate,
                activation, useBias, depthwiseInitializer, pointwiseInitializer, biasInitializer, trainable);
    }

    public SeparableConv2DConfig withBiasInitializer(Initializer biasInitializer) {
        return new SeparableConv2DConfig(filters, kernelSize, strides, padding, depthMultiplier, dilationRate,
                activation, useBias, depthwiseInitializer, pointwiseInitializer, biasInitializer, trainable);
    }

    public SeparableConv2DConfig withTrainable(boolean trainable) {
        return new SeparableConv2DConfig(filters, kernelSize, strides, padding, depthMultiplier, dilationRate,
                activation, useBias, depthwiseInitializer, pointwiseInitializer, biasInitializer, trainable);
    }

    @Override
    public String kerasClassName() {
        return "SeparableConv2D";
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
        m.put("depth_multiplier", depthMultiplier);
        m.put("activation", KerasNames.of(activation));
        m.put("use_bias", useBias);
        m.put("depthwise_initializer", KerasNames.of(depthwiseInitializer));
        m.put("pointwise_initializer", KerasNames.of(pointwiseInitializer));
        m.put("bias_initializer", KerasNames.of(biasInitializer));
        return m;
    }

    @Override
    public List<String> weightNames() {
        return useBias ? List.of("depthwise_kernel", "pointwise_kernel", "bias")
                : List.of("depthwise_kernel", "pointwise_kernel");
    }

    /** Keras's SeparableConv2D as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return SeparableConv2DConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("SeparableConv2D");
        }

        @Override
        public String annotation(Layer l) {
            return l.channelsLast().integer("filters", "filters").ints("kernel_size", "kernelSize", List.of())
                    .ints("strides", "strides", List.of(1)).constant("padding", "padding", Padding.class, Padding.VALID)
                    .integer("depth_multiplier", "depthMultiplier", 1).ints("dilation_rate", "dilationRate", List.of(1))
                    .activation("activation", "activation", Activation.LINEAR).bool("use_bias", "useBias", true)
                    .trainable().annotation("SeparableConv2D");
        }
    }
}
