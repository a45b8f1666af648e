package dev.kiln.processor;

/**
 * Where a diagnostic belongs, in the user's terms: the model type, a node (method), one of its parameters, one of its
 * annotations, one attribute of that annotation, or one element of an array attribute ({@code element >= 0}). With
 * no node, the annotation and attribute are those on the model type ({@code @Model(name = ...)}). The reporter turns
 * it into the most precise javac position that exists.
 */
public record Site(String node, String parameter, String annotation, String attribute, int element) {
    public Site(String node, String parameter, String annotation, String attribute) {
        this(node, parameter, annotation, attribute, -1);
    }

    /** The model type itself. */
    public static Site model() {
        return new Site(null, null, null, null);
    }

    /** An attribute of an annotation on the model type, e.g. {@code @Model(name = ...)}. */
    public static Site modelAttribute(String annotation, String attribute) {
        return new Site(null, null, annotation, attribute);
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

    /** One element of an array attribute, e.g. the {@code 0} in {@code @Input(shape = {28, 0})}. */
    public static Site element(String node, String annotation, String attribute, int element) {
        return new Site(node, null, annotation, attribute, element);
    }
}
