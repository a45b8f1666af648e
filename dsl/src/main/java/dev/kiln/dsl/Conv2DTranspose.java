package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Conv2DTranspose}, channels last: the adjoint of a {@code Conv2D} with the same kernel size, strides,
 * padding and dilation, each input pixel times the kernel added onto the output, then bias and activation. Inputs
 * {@code (h, w, channels)}; {@code kernel} of shape {@code (kh, kw, filters, channels)} (out and in swapped against
 * Conv2D's, as in Keras) and {@code bias} of shape {@code (filters)}. The output size per axis is Keras's: with no
 * {@code outputPadding}, {@code VALID} gives {@code (n - 1) * s + max(k', s)} and {@code SAME} {@code n * s}; with it,
 * {@code VALID} gives {@code (n - 1) * s + k' + outputPadding} and {@code SAME} {@code (n - 1) * s + k' % 2 +
 * outputPadding}, where {@code k' = (k - 1) * d + 1}. {@code outputPadding} empty stands for Keras's {@code None}.
 *
 * <p>Rules javac enforces: one input of rank 3 with known axes; {@code filters}, sizes, strides and dilations positive;
 * strides above 1 not combined with dilations above 1; padding {@code VALID} or {@code SAME}; {@code outputPadding}
 * one or two values, each at least 0 and below its stride (as in Keras); an output of at least one pixel.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv2DTranspose {
    int filters();

    int[] kernelSize();

    int[] strides() default 1;

    Padding padding() default Padding.VALID;

    int[] outputPadding() default {};

    int[] dilationRate() default 1;

    Activation activation() default Activation.LINEAR;

    boolean useBias() default true;

    Initializer kernelInitializer() default Initializer.GLOROT_UNIFORM;

    Initializer biasInitializer() default Initializer.ZEROS;

    /** False freezes the layer: no gradient is computed for its weights (Keras's {@code trainable=False}). */
    boolean trainable() default true;
}
