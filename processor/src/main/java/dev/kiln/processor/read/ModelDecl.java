package dev.kiln.processor.read;

import java.util.List;

/**
 * A model interface as written, free of javax types: where it lives, the class to generate, and its nodes in
 * declaration order.
 */
public record ModelDecl(String packageName, String interfaceName, String qualifiedName, String generatedName,
        List<NodeDecl> nodes, String displayName) {
    public ModelDecl {
        nodes = List.copyOf(nodes);
        displayName = displayName == null || displayName.isEmpty() ? interfaceName : displayName;
    }

    /** Named as Keras shows it by its interface's simple name. */
    public ModelDecl(String packageName, String interfaceName, String qualifiedName, String generatedName,
            List<NodeDecl> nodes) {
        this(packageName, interfaceName, qualifiedName, generatedName, nodes, null);
    }

    /** The generated class's qualified name. */
    public String generatedQualifiedName() {
        return packageName.isEmpty() ? generatedName : packageName + "." + generatedName;
    }
}
