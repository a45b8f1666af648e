package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code ZeroPadding2D}, channels last: rows and columns of zeros around each image, {@code (h, w, c) -> (h +
 * top + bottom, w + left + right, c)}. {@code padding} is one number for all four sides, two ({@code {rows,
 * columns}}: top and bottom, left and right), or four ({@code {top, bottom, left, right}}, Keras's
 * {@code ((top, bottom), (left, right))}).
 *
 * <p>Rules javac enforces: one input of rank 3 with known axes; one, two or four paddings, none negative.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ZeroPadding2D {
    int[] padding() default 1;
}
