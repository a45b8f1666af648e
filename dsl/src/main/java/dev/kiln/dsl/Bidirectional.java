package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Bidirectional} wrapper, written on the same node as the recurrent layer it wraps:
 * {@code @Bidirectional @LSTM(units = 32) Tensor both(Tensor words)}. The layer runs twice over the input, forwards
 * ({@code forward_lstm}) and with {@code goBackwards} flipped ({@code backward_lstm}), each with weights of its own in
 * Keras's order and names ({@code forward_lstm/kernel}, ..., then {@code backward_lstm/kernel}, ...: twice the layer's
 * parameters); with {@code returnSequences} the backward output is put back in input order before the two are merged.
 * A mask reaches both directions; with {@code returnSequences} the masked steps' outputs are zeros, as in Keras.
 *
 * <p>Rules javac enforces: exactly one of {@code @LSTM}, {@code @GRU} or {@code @SimpleRNN} on the same node, and that
 * layer's own rules. Keras's {@code merge_mode=None} (two outputs from one node) is not offered.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Bidirectional {
    MergeMode mergeMode() default MergeMode.CONCAT;
}
