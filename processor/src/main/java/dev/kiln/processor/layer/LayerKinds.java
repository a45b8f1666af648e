package dev.kiln.processor.layer;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** Every layer annotation the compiler knows, by simple name: the kinds registered with AutoService. */
public final class LayerKinds {
    private static final Map<String, LayerKind<?>> KINDS = new TreeMap<>();

    static {
        for (LayerKind<?> k : ServiceLoader.load(LayerKind.class, LayerKinds.class.getClassLoader())) {
            LayerKind<?> before = KINDS.put(k.annotation(), k);
            if (before != null) {
                throw new IllegalStateException("two kinds for @" + k.annotation() + ": " + before.getClass().getName()
                        + " and " + k.getClass().getName());
            }
        }
    }

    private LayerKinds() {
    }

    /** The kind for an annotation's simple name, or null. */
    public static LayerKind<?> of(String annotation) {
        return KINDS.get(annotation);
    }

    public static Set<String> annotations() {
        return KINDS.keySet();
    }
}
