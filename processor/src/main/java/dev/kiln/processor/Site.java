package dev.kiln.processor;

/**
 * Where a diagnostic belongs, in the user's terms: the model type, a node (method), one of its parameters, one of its
 * annotations, or one attribute of that annotation. The reporter turns it into the javac position.
 */
public record Site(String node, String parameter, String annotation, String attribute) {
    /** The model type itself. */
    public static Site model() {
        return new Site(null, null, null, null);
    }

    public static Site node(String node) {
        return new Site(node, null, null, null);
    }

    public static Site parameter(String node, String parameter) {
        return new Site(node, parameter, null, null);
    }

    public static Site annotation(String node, String annotation) {
        return new Site(node, null, annotation, null);
    }

    public static Site attribute(String node, String annotation, String attribute) {
        return new Site(node, null, annotation, attribute);
    }
}
