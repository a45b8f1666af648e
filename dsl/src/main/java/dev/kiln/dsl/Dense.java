package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Dense}: {@code activation(x @ kernel + bias)}, with {@code kernel} of shape {@code (in, units)}. On an
 * input of rank above one it acts on the last axis, as in Keras.
 *
 * <p>Rules javac enforces: one input; {@code units > 0}; the input's last axis is known.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dense {
    int units();

    Activation activation() default Activation.LINEAR;

    boolean useBias() default true;

    Initializer kernelInitializer() default Initializer.GLOROT_UNIFORM;

    Initializer biasInitializer() default Initializer.ZEROS;

    /** False freezes the layer: no gradient is computed for its weights (Keras's {@code trainable=False}). */
    boolean trainable() default true;
}
