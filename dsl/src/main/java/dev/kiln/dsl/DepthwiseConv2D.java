package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code DepthwiseConv2D}, channels last: each input channel convolved with its own {@code depthMultiplier}
 * filters, {@code y[.., c * depthMultiplier + m] = activation(sum over taps of x[.., c] * kernel[i, j, c, m] + bias)},
 * on inputs of shape {@code (h, w, channels)}, with {@code kernel} of shape {@code (kh, kw, channels,
 * depthMultiplier)} and {@code bias} of shape {@code (channels * depthMultiplier)}. {@code kernelSize}, {@code
 * strides} and {@code dilationRate} take one value for both axes or one per axis (height, width).
 *
 * <p>Rules javac enforces: one input of rank 3 with known axes; sizes, strides, dilations and {@code depthMultiplier}
 * positive; strides above 1 not combined with dilations above 1 (as in Keras); padding {@code VALID} or {@code SAME};
 * with {@code VALID} padding the dilated kernel fits in the input.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface DepthwiseConv2D {
    int[] kernelSize();

    int[] strides() default 1;

    Padding padding() default Padding.VALID;

    int depthMultiplier() default 1;

    int[] dilationRate() default 1;

    Activation activation() default Activation.LINEAR;

    boolean useBias() default true;

    Initializer depthwiseInitializer() default Initializer.GLOROT_UNIFORM;

    Initializer biasInitializer() default Initializer.ZEROS;

    /** False freezes the layer: no gradient is computed for its weights (Keras's {@code trainable=False}). */
    boolean trainable() default true;
}
