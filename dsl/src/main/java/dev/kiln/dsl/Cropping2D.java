package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Cropping2D}, channels last: rows and columns cut off each image's border, {@code (h, w, c) -> (h - top
 * - bottom, w - left - right, c)}. {@code cropping} is one number for all four sides, two ({@code {rows, columns}}),
 * or four ({@code {top, bottom, left, right}}, Keras's {@code ((top, bottom), (left, right))}).
 *
 * <p>Rules javac enforces: one input of rank 3 with known axes; one, two or four croppings, none negative; each
 * cropped axis keeps at least one element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Cropping2D {
    int[] cropping() default 0;
}
