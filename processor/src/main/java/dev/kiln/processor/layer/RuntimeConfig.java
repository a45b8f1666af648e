package dev.kiln.processor.layer;

import java.util.List;

/**
 * How the generated {@code SPEC} builds a node's runtime config: {@code new DenseConfig(64).withActivation(RELU)} is
 * the class {@code DenseConfig} (package {@code dev.kiln.runtime.layer}), the constructor arguments {@code [64]} and
 * the settings {@code [activation = RELU]}. Settings hold only what the user wrote, so defaults are not spelled out.
 */
public record RuntimeConfig(String simpleName, List<Arg> arguments, List<Setting> settings) {
    public static final String PACKAGE = "dev.kiln.runtime.layer";

    /** {@code withName(value)} on the config. */
    public record Setting(String name, Arg value) {
    }

    public RuntimeConfig {
        arguments = List.copyOf(arguments);
        settings = List.copyOf(settings);
    }

    public static RuntimeConfig of(String simpleName, Arg... arguments) {
        return new RuntimeConfig(simpleName, List.of(arguments), List.of());
    }

    /** This config with {@code name} set, when the user wrote it in {@code decl}. */
    public RuntimeConfig setting(dev.kiln.processor.read.LayerDecl decl, String name, Arg value) {
        if (!decl.explicit().contains(name)) {
            return this;
        }
        List<Setting> more = new java.util.ArrayList<>(settings);
        more.add(new Setting(name, value));
        return new RuntimeConfig(simpleName, arguments, more);
    }

    /** This config with one more constructor argument when {@code when} holds (an explicit optional argument). */
    public RuntimeConfig withArgumentIf(boolean when, Arg argument) {
        if (!when) {
            return this;
        }
        List<Arg> more = new java.util.ArrayList<>(arguments);
        more.add(argument);
        return new RuntimeConfig(simpleName, more, settings);
    }

    public String qualifiedName() {
        return PACKAGE + "." + simpleName;
    }
}
