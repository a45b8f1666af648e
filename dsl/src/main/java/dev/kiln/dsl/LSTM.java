package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code LSTM}: gates {@code i, f, o} through {@code recurrentActivation}, the candidate and the output through
 * {@code activation}; {@code c_t = f * c_{t-1} + i * g}, {@code h_t = o * activation(c_t)}. Keras's weights: gate
 * blocks {@code [i, f, c, o]} in {@code kernel (features, 4 units)}, {@code recurrent_kernel (units, 4 units)} and
 * {@code bias (4 units)}.
 *
 * <p>Rules javac enforces: one input of shape {@code (steps, features)} (steps may be {@code Input.NONE}, features
 * fixed); {@code units > 0}; {@code dropout} and {@code recurrentDropout} in [0, 1); activations whose derivative
 * follows from their output (not GELU, swish or softmax); initial states, if any, are the parameters after the
 * sequence, marked {@link InitialState}, one per state ({@code h} and {@code c}), each {@code (units)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LSTM {
    /** The size of the state and of each step's output. */
    int units();

    Activation activation() default Activation.TANH;

    /** The gates' activation. */
    Activation recurrentActivation() default Activation.SIGMOID;

    boolean useBias() default true;

    Initializer kernelInitializer() default Initializer.GLOROT_UNIFORM;

    Initializer recurrentInitializer() default Initializer.ORTHOGONAL;

    Initializer biasInitializer() default Initializer.ZEROS;

    /** Start the forget gate's bias at one, as Jozefowicz et al. recommend and Keras does by default. */
    boolean unitForgetBias() default true;

    /** Output every step's state, {@code (steps, units)}, rather than the last one's, {@code (units)}. */
    boolean returnSequences() default false;

    /** Run over the steps last to first; with {@code returnSequences}, the outputs come in that order too. */
    boolean goBackwards() default false;

    /**
     * Keras's {@code return_state}: the layer also gives its final states {@code h} and {@code c}, each {@code (units)}, the state after the last
     * step (after the last unmasked one, with a mask). Select them with {@link Part}: {@code h} and {@code c}.
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
