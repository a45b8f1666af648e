package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A Keras shared layer: this node applies the layer of node {@code value} — the same weights — to its own
 * inputs, as Keras's {@code shared = Dense(64); a = shared(x1); b = shared(x2)}. Gradients from every application are
 * summed into the one set of weights, which is named after {@code value}.
 *
 * <p>Rules javac enforces: {@code value} names a layer node of this model; this node's inputs have the shapes that
 * node's inputs have.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Shared {
    /** The node whose layer, with its weights, this node applies. */
    String value();
}
