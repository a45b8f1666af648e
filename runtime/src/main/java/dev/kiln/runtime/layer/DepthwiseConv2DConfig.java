package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Initializer;
import dev.kiln.dsl.Padding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @DepthwiseConv2D} (channels last): each input channel convolved with its own {@code depthMultiplier} filters,
 * kernel {@code (kh, kw, in, depthMultiplier)}, bias {@code (in * depthMultiplier)}, output channel {@code c *
 * depthMultiplier + m}. Keras 3 names the kernel {@code kernel}. Sizes, strides and dilations hold one value per axis.
 */
public record DepthwiseConv2DConfig(List<Integer> kernelSize, List<Integer> strides, Padding padding,
        int depthMultiplier, List<Integer> dilationRate, Activation activation, boolean useBias,
        Initializer depthwiseInitializer, Initializer biasInitializer, boolean trainable) implements LayerConfig {

    public DepthwiseConv2DConfig {
        kernelSize = AxisValues.perAxis(kernelSize, 2);
        strides = AxisValues.perAxis(strides, 2);
        dilationRate = AxisValues.perAxis(dilationRate, 2);
    }

    /** Keras's defaults: strides 1, valid padding, depth multiplier 1, no dilation, linear, with a bias. */
    public DepthwiseConv2DConfig(int... kernelSize) {
        this(AxisValues.list(kernelSize), List.of(1), Padding.VALID, 1, List.of(1), Activation.LINEAR, true,
                Initializer.GLOROT_UNIFORM, Initializer.ZEROS, true);
    }

    public DepthwiseConv2DConfig withStrides(int... strides) {
        return new DepthwiseConv2DConfig(kernelSize, AxisValues.list(strides), padding, depthMultiplier, dilationRate,
                activation, useBias, depthwiseInitializer, biasInitializer, trainable);
    }

    public DepthwiseConv2DConfig withPadding(Padding padding) {
        return new DepthwiseConv2DConfig(kernelSize, strides, padding, depthMultiplier, dilationRate, activation,
                useBias, depthwiseInitializer, biasInitializer, trainable);
    }

    public DepthwiseConv2DConfig withDepthMultiplier(int depthMultiplier) {
        return new DepthwiseConv2DConfig(kernelSize, strides, padding, depthMultiplier, dilationRate, activation,
                useBias, depthwiseInitializer, biasInitializer, trainable);
    }

    public DepthwiseConv2DConfig withDilationRate(int... dilationRate) {
        return new DepthwiseConv2DConfig(kernelSize, strides, padding, depthMultiplier, AxisValues.list(dilationRate),
                activation, useBias, depthwiseInitializer, biasInitializer, trainable);
    }

    public DepthwiseConv2DConfig withActivation(Activation activation) {
        return new DepthwiseConv2DConfig(kernelSize, strides, padding, depthMultiplier, dilationRate, activation,
                useBias, depthwiseInitializer, biasInitializer, trainable);
    }

    public DepthwiseConv2DConfig withUseBias(boolean useBias) {
        return new DepthwiseConv2DConfig(kernelSize, strides, padding, depthMultiplier, dilationRate, activation,
                useBias, depthwiseInitializer, biasInitializer, trainable);
    }

    public DepthwiseConv2DConfig withDepthwiseInitializer(Initializer depthwiseInitializer) {
        return new DepthwiseConv2DConfig(kernelSize, strides, padding, depthMultiplier, dilationRate, activation,
                useBias, depthwiseInitializer, biasInitializer, trainable);
    }

    public DepthwiseConv2DConfig withBiasInitializer(Initializer biasInitializer) {
        return new DepthwiseConv2DConfig(kernelSize, strides, padding, depthMultiplier, dilationRate, activation,
                useBias, depthwiseInitializer, biasInitializer, trainable);
    }

    public DepthwiseConv2DConfig withTrainable(boolean trainable) {
        return new DepthwiseConv2DConfig(kernelSize, strides, padding, depthMultiplier, dilationRate, activation,
                useBias, depthwiseInitializer, biasInitializer, trainable);
    }

    @Override
    public String kerasClassName() {
        return "DepthwiseConv2D";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel_size", kernelSize);
        m.put("strides", strides);
        m.put("padding", KerasNames.of(padding));
        m.put("depth_multiplier", depthMultiplier);
        m.put("data_format", "channels_last");
        m.put("dilation_rate", dilationRate);
        m.put("activation", KerasNames.of(activation));
        m.put("use_bias", useBias);
        m.put("depthwise_initializer", KerasNames.of(depthwiseInitializer));
        m.put("bias_initializer", KerasNames.of(biasInitializer));
        return m;
    }

    @Override
    public List<String> weightNames() {
        return useBias ? List.of("kernel", "bias") : List.of("kernel");
    }

    /** Keras's DepthwiseConv2D as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return DepthwiseConv2DConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("DepthwiseConv2D");
        }

        @Override
        public String annotation(Layer l) {
            return l.channelsLast().ints("kernel_size", "kernelSize", List.of()).ints("strides", "strides", List.of(1))
                    .constant("padding", "padding", Padding.class, Padding.VALID)
                    .integer("depth_multiplier", "depthMultiplier", 1).ints("dilation_rate", "dilationRate", List.of(1))
                    .activation("activation", "activation", Activation.LINEAR).bool("use_bias", "useBias", true)
                    .trainable().annotation("DepthwiseConv2D");
        }
    }
}
