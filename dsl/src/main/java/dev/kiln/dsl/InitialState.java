package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter of a recurrent node as one of its initial states, Keras's {@code initial_state}: the encoder–decoder
 * pattern feeds a decoder the encoder's final states.
 *
 * <pre>{@code
 * @LSTM(units = 64, returnSequences = true)
 * Tensor decoder(Tensor decEmb, @InitialState Tensor stateH, @InitialState Tensor stateC);
 * }</pre>
 *
 * Gradients flow into the nodes that feed the states.
 *
 * <p>Rules javac enforces: the marked parameters follow the sequence, one per state of the layer, in Keras's order
 * ({@code h, c} for an {@code LSTM}, {@code h} for a {@code GRU} or {@code SimpleRNN}; a {@code Bidirectional} layer's
 * forward states, then its backward ones), each of shape {@code (units)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface InitialState {
}
