package dev.kiln.processor.layer;

/** A weight as a lowering sees it: its Keras name, its field, and its gradient's field (null when frozen). */
public record WeightFields(String name, String field, String gradientField) {
}
