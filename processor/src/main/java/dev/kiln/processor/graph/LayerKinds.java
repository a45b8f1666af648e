package dev.kiln.processor.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Every layer annotation the compiler knows, by simple name. */
public final class LayerKinds {
    private static final Map<String, LayerKind> KINDS = new LinkedHashMap<>();

    static {
        java.util.List<LayerKind> all = new java.util.ArrayList<>(java.util.List.of(new InputKind(), new DenseKind(),
                new ActivationKind(), new DropoutKind(), new ConcatenateKind(), new DotKind()));
        for (String merge : new String[] {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"}) {
            all.add(new MergeKind(merge));
        }
        all.addAll(ReshapeKinds.all());
        for (LayerKind k : all) {
            KINDS.put(k.annotation(), k);
        }
    }

    private LayerKinds() {
    }

    /** The kind for an annotation's simple name, or null. */
    public static LayerKind of(String annotation) {
        return KINDS.get(annotation);
    }

    public static Set<String> annotations() {
        return KINDS.keySet();
    }
}
