package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras 3's {@code GRU} ({@code reset_after=True}, its default and cuDNN's form): {@code z, r} through
 * {@code recurrentActivation}, {@code hh = activation(x W_h + b_h + r * (h_{t-1} U_h + b'_h))},
 * {@code h_t = z * h_{t-1} + (1 - z) * hh}. Keras's weights: gate blocks {@code [z, r, h]} in
 * {@code kernel (features, 3 units)} and {@code recurrent_kernel (units, 3 units)}, {@code bias (2, 3 units)}: the
 * input projection's row, then the recurrent projection's.
 *
 * <p>Rules javac enforces: one input of shape {@code (steps, features)} (steps may be {@code Input.NONE}, features
 * fixed); {@code units > 0}; activations whose derivative follows from their output (not GELU, swish or softmax).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface GRU {
    /** The size of the state and of each step's output. */
    int units();

    Activation activation() default Activation.TANH;

    /** The gates' activation. */
    Activation recurrentActivation() default Activation.SIGMOID;

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
