package dev.kiln.processor.graph;

import dev.kiln.dsl.Initializer;

/** A weight a layer owns: its Keras suffix ({@code kernel}, {@code bias}), shape in Keras layout, initializer. */
public record Variable(String suffix, Shape shape, Initializer initializer, boolean trainable) {
    public long length() {
        long n = 1;
        for (long d : shape.dims()) {
            n *= d;
        }
        return n;
    }
}
