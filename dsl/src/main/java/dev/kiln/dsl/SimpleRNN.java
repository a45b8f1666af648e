package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code SimpleRNN}: {@code h_t = activation(x_t @ kernel + h_{t-1} @ recurrentKernel + bias)} from
 * {@code h_0 = 0}, with Keras's weights {@code kernel (features, units)}, {@code recurrent_kernel (units, units)},
 * {@code bias (units)}.
 *
 * <p>Rules javac enforces: one input of shape {@code (steps, features)} (steps may be {@code Input.NONE}, features
 * fixed); {@code units > 0}; activations whose derivative follows from their output (not GELU, swish or softmax).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SimpleRNN {
    /** The size of the state and of each step's output. */
    int units();

    Activation activation() default Activation.TANH;

    boolean useBias() default true;

    Initializer kernelInitializer() default Initializer.GLOROT_UNIFORM;

    Initializer recurrentInitializer() default Initializer.ORTHOGONAL;

    Initializer biasInitializer() default Initializer.ZEROS;

    /** Output every step's state, {@code (steps, units)}, rather than the last one's, {@code (units)}. */
    boolean returnSequences() default false;

    /** Run over the steps last to first; with {@code returnSequences}, the outputs come in that order too. */
    boolean goBackwards() default false;

    boolean trainable() default true;
}
