package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code TimeDistributed} wrapper, written on the same node as the layer it applies to every step of a
 * sequence: {@code @TimeDistributed @Dense(units = 8) Tensor perStep(Tensor states)}. One set of weights, the layer's
 * own ({@code kernel}, {@code bias}), serves every step; the output is {@code (steps, ...)} of the layer's output per
 * step, and a mask on the input passes on.
 *
 * <p>Rules javac enforces: an input of rank 2 or more (its first axis the steps, which may be {@code Input.NONE});
 * exactly one {@code @Dense} beside it (Kiln wraps no other layer yet), and that layer's own rules for one step.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface TimeDistributed {
}
