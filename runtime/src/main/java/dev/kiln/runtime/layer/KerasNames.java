package dev.kiln.runtime.layer;

import java.util.Locale;

/** Keras's spelling of Kiln's enum constants: {@code GLOROT_UNIFORM} is {@code glorot_uniform}. */
final class KerasNames {
    private KerasNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
