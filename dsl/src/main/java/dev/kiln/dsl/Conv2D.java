package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Conv2D}, channels last: {@code activation(conv(x, kernel) + bias)} on inputs of shape {@code (h, w,
 * channels)}, with {@code kernel} of shape {@code (kh, kw, channels, filters)} and {@code bias} of shape {@code
 * (filters)}. {@code kernelSize}, {@code strides} and {@code dilationRate} take one value for both axes or one per axis
 * (height, width).
 *
 * <p>Rules javac enforces: one input of rank 3 with known axes; {@code filters}, sizes, strides and dilations positive;
 * strides above 1 not combined with dilations above 1 (as in Keras); with {@code VALID} padding the dilated kernel fits
 * in the input.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv2D {
    int filters();

    int[] kernelSize();

    int[] strides() default 1;

    Padding padding() default Padding.VALID;

    int[] dilationRate() default 1;

    Activation activation() default Activation.LINEAR;

    boolean useBias() default true;

    Initializer kernelInitializer() default Initializer.GLOROT_UNIFORM;

    Initializer biasInitializer() default Initializer.ZEROS;

    /** False freezes the layer: no gradient is computed for its weights (Keras's {@code trainable=False}). */
    boolean trainable() default true;
}
