package dev.kiln.keras;

import java.util.Map;

/**
 * What {@link KerasFiles#loadWeights} did: the file's format ({@code .keras}, {@code legacy .h5}, {@code .weights.h5}),
 * its model class ({@code Sequential}, {@code Functional}; null for a {@code .weights.h5}, which holds none), how Kiln's
 * nodes were matched to the file's layers ({@code name} or {@code order}), and which Keras layer filled each node.
 */
public record KerasImport(String format, String kerasModelClass, String matchedBy, Map<String, String> layerOfNode) {
    public KerasImport {
        layerOfNode = Map.copyOf(layerOfNode);
    }
}
