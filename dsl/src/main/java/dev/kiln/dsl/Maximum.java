package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Maximum}: the element-wise maximum of its inputs (the gradient goes to the first maximal one).
 *
 * <p>Rules javac enforces: at least two inputs (exactly two for {@code Subtract}); their shapes agree, axis by axis,
 * or one of them is 1 there (broadcast, as in Keras).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Maximum {
}
