package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Permute}: reorders a sample's axes; {@code dims} are 1-based, as in Keras
 * ({@code dims = {2, 1}} swaps the two axes of a matrix).
 *
 * <p>Rules javac enforces: one input; {@code dims} is a permutation of 1..rank.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Permute {
    int[] dims();
}
