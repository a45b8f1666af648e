package dev.kiln.processor.read;

import java.util.List;

/**
 * A model interface as written, free of javax types: where it lives, the class to generate, and its nodes in
 * declaration order.
 */
public record ModelDecl(String packageName, String interfaceName, String qualifiedName, String generatedName,
        List<NodeDecl> nodes) {
    public ModelDecl {
        nodes = List.copyOf(nodes);
    }

    /** The generated class's qualified name. */
    public String generatedQualifiedName() {
        return packageName.isEmpty() ? generatedName : packageName + "." + generatedName;
    }
}
