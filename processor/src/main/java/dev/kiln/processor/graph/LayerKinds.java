package dev.kiln.processor.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Every layer annotation the compiler knows, by simple name. */
public final class LayerKinds {
    private static final Map<String, LayerKind> KINDS = new LinkedHashMap<>();

    static {
        for (LayerKind k : new LayerKind[] {new InputKind(), new DenseKind(), new ActivationKind(), new DropoutKind()}) {
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
