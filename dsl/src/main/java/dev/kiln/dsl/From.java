package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The node a parameter consumes, when the parameter's own name cannot say it: Java forbids two parameters of one name,
 * so Keras's {@code Add()([x, x])} is written
 *
 * <pre>{@code
 * @Add Tensor doubled(@From("x") Tensor first, @From("x") Tensor second);
 * }</pre>
 *
 * Without {@code @From} a parameter consumes the node its name names.
 *
 * <p>Rules javac enforces: {@code value} names a node of this model, as a parameter's name would.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface From {
    /** The name of the node this parameter consumes. */
    String value();
}
