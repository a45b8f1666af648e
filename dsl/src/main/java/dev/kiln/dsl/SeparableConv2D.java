package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code SeparableConv2D}, channels last: a depthwise convolution (each input channel with its own {@code
 * depthMultiplier} filters, no bias) followed by a pointwise one (a 1x1 convolution to {@code filters} channels), then
 * bias and activation. Weights in Keras's order: {@code depthwise_kernel (kh, kw, channels, depthMultiplier)}, {@code
 * pointwise_kernel (1, 1, channels * depthMultiplier, filters)}, {@code bias (filters)}. Strides, padding and dilation
 * are the depthwise step's.
 *
 * <p>Rules javac enforces: one input of rank 3 with known axes; {@code filters}, sizes, strides, dilations and {@code
 * depthMultiplier} positive; strides above 1 not combined with dilations above 1 (as in Keras); padding {@code VALID}
 * or {@code SAME}; with {@code VALID} padding the dilated kernel fits in the input.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SeparableConv2D {
    int filters();

    int[] kernelSize();

    int[] strides() default 1;

    Padding padding() default Padding.VALID;

    int depthMultiplier() default 1;

    int[] dilationRate() default 1;

    Activation activation() default Activation.LINEAR;

    boolean useBias() default true;

    Initializer depthwiseInitializer() default Initializer.GLOROT_UNIFORM;

    Initializer pointwiseInitializer() default Initializer.GLOROT_UNIFORM;

    Initializer biasInitializer() default Initializer.ZEROS;

    /** False freezes the layer: no gradient is computed for its weights (Keras's {@code trainable=False}). */
    boolean trainable() default true;
}
