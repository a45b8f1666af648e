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
 * fixed); {@code units > 0}; {@code dropout} and {@code recurrentDropout} in [0, 1); activations whose derivative
 * follows from their output (not GELU, swish or softmax); initial states, if any, are the parameters after the
 * sequence, marked {@link InitialState}, one per state ({@code h}), each {@code (units)}.
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

    /**
     * Keras's {@code return_state}: the layer also gives its final state {@code h}, each {@code (units)}, the state after the last
     * step (after the last unmasked one, with a mask). Select them with {@link Part}: {@code h}.
     */
    boolean returnState() default false;

    /**
     * Keras's {@code dropout}: in training, the fraction of the input's features dropped before the kernel's projection,
     * one mask per sample drawn once per batch and reused at every step (one per gate block when
     * {@code recurrentDropout > 0}, Keras's {@code implementation = 1}); in [0, 1).
     */
    double dropout() default 0;

    /**
     * Keras's {@code recurrent_dropout}: in training, the fraction of the previous state dropped before the recurrent
     * kernel's projection, one mask per sample and gate block drawn once per batch and reused at every step; in [0, 1).
     */
    double recurrentDropout() default 0;

    /** The dropout masks' own seed, as {@code Dropout}'s: 0 draws from the model's generator. */
    long seed() default 0;

    boolean trainable() default true;
}
