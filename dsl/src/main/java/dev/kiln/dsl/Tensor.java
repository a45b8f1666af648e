package dev.kiln.dsl;

/**
 * The type of every node in a model interface. It is a marker only: the values flowing through a generated model are
 * ND4J arrays, and a parameter of type {@code Tensor} names the node it consumes.
 */
public interface Tensor {
}
