package dev.kiln.runtime.reference;

import dev.kiln.runtime.layer.LayerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/** Every registered {@link LayerReference}, by the config class it computes. */
public final class References {
    private static final Map<Class<?>, LayerReference<?>> BY_CONFIG = new HashMap<>();

    static {
        for (LayerReference<?> r : ServiceLoader.load(LayerReference.class, References.class.getClassLoader())) {
            BY_CONFIG.put(r.configType(), r);
        }
    }

    private References() {
    }

    /** The reference for {@code configType}, or null when there is none. */
    @SuppressWarnings("unchecked")
    public static <C extends LayerConfig> LayerReference<C> of(Class<C> configType) {
        return (LayerReference<C>) BY_CONFIG.get(configType);
    }

    /** The reference for {@code config}; an {@link IllegalStateException} names a layer that has none. */
    @SuppressWarnings("unchecked")
    static <C extends LayerConfig> LayerReference<C> forConfig(C config) {
        LayerReference<C> r = of((Class<C>) config.getClass());
        if (r == null) {
            throw new IllegalStateException("no reference for " + config.kerasClassName() + " ("
                    + config.getClass().getName() + "): add a LayerReference registered with @AutoService");
        }
        return r;
    }
}
