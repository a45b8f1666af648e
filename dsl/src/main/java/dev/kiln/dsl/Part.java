package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One of the further values of the node this node consumes, by name: a node's own value is Keras's first output, and a
 * node that gives several (Keras's list of outputs) names the others, which a {@code @Part} node selects.
 *
 * <pre>{@code
 * @LSTM(units = 64, returnState = true) Tensor encoder(Tensor encEmb);
 * @Part("h") Tensor stateH(Tensor encoder);          // Keras: _, state_h, state_c = LSTM(64, return_state=True)(x)
 * @Part("c") Tensor stateC(Tensor encoder);
 * @Nested(Encoder.class) Tensor encoder(Tensor x);    // Encoder's first @Output is the node's value
 * @Part("zLogVar") Tensor zLogVar(Tensor encoder);    // another @Output of Encoder, by its node name
 * }</pre>
 *
 * The parts: an {@code LSTM}'s final states {@code "h"} and {@code "c"}, a {@code GRU}'s or {@code SimpleRNN}'s
 * {@code "h"}, with {@code returnState = true}; a {@code Bidirectional} one's states of each direction,
 * {@code "forwardH"}, {@code "forwardC"}, {@code "backwardH"}, {@code "backwardC"}; a {@link Nested} model's
 * {@code @Output}s after its first, by node name. A part is a node like any other: it can be an {@code @Output}, feed
 * other nodes and be read with {@code predictNodes}.
 *
 * <p>Rules javac enforces: the node has one parameter, the node whose part it selects; that node gives a part of that
 * name; each part is selected once.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Part {
    /** The part's name, e.g. {@code "h"}. */
    String value();
}
