package dev.kiln.processor.read;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Stage 1: reads a {@code @Model} interface into a {@link ModelDecl}, judging only what can only be seen on the
 * elements themselves (a class instead of an interface, a generated name that is no Java name, two methods of one
 * name, a method with a body, a parameter that is not a Tensor, the number of layer annotations). Everything else is
 * left to the later stages. A model with names javac could not resolve is left to javac's own errors.
 */
public final class ModelReader {
    static final String DSL = "dev.kiln.dsl";
    private static final String TENSOR = DSL + ".Tensor";

    private final Elements elements;
    private final Set<String> nesting = new java.util.HashSet<>();
    private final SourceAnnotations source;

    public ModelReader(Elements elements) {
        this(elements, null);
    }

    /** With {@code source}, a method with an annotation javac could not resolve leaves the model to javac's error. */
    public ModelReader(Elements elements, SourceAnnotations source) {
        this.elements = elements;
        this.source = source;
    }

    /**
     * What {@link #read} found: the declaration and where each part sits in the source. When {@code isModel} is false
     * the type cannot be read as a model (it is not an interface, or javac could not resolve parts of it), and no later
     * stage should look at it.
     */
    public record Result(ModelDecl decl, Sites sites, boolean isModel) {
    }

    public Result read(TypeElement type, Report report) {
        nesting.add(type.getQualifiedName().toString());
        Sites sites = new Sites(type);
        String pkg = packageOf(type);
        String name = type.getSimpleName().toString();
        String generated = name + "Model";
        String displayName = null;
        for (AnnotationMirror m : type.getAnnotationMirrors()) {
            if (qualifiedName(m).equals(DSL + ".Model")) {
                Object display = attributes(m).get("displayName");
                displayName = display == null ? null : display.toString();
                Object custom = attributes(m).get("name");
                if (custom != null && !custom.toString().isEmpty()) {
                    generated = custom.toString();
                    checkName(generated, report);
                }
            }
        }
        String qualified = type.getQualifiedName().toString();
        if (type.getKind() != ElementKind.INTERFACE) {
            report.add(Rule.NOT_AN_INTERFACE, Site.model(), "@Model goes on an interface, but '" + name + "' is "
                    + article(type.getKind()) + ". Declare it as 'interface " + name + " { ... }' with one abstract"
                    + " method per node.");
            return new Result(new ModelDecl(pkg, name, qualified, generated, List.of()), sites, false);
        }
        if (hasUnresolvedTypes(type)) {
            // javac reports the unknown name itself; anything Kiln said about it would only repeat that badly
            return new Result(new ModelDecl(pkg, name, qualified, generated, List.of()), sites, false);
        }
        List<NodeDecl> nodes = new ArrayList<>();
        for (Element e : type.getEnclosedElements()) {
            if (e.getKind() != ElementKind.METHOD) {
                continue;
            }
            ExecutableElement method = (ExecutableElement) e;
            String node = method.getSimpleName().toString();
            String key = sites.method(node, method);
            if (!key.equals(node)) {
                report.add(Rule.DUPLICATE_NODE, Site.node(key), "node '" + node + "' is declared twice, but a node's"
                        + " name is what its consumers' parameters refer to, so each name is used once. Rename this one,"
                        + " e.g. '" + node + "2'.");
                continue;
            }
            if (!method.getModifiers().contains(Modifier.ABSTRACT)) {
                report.add(Rule.METHOD_BODY, Site.node(node), "'" + node + "' has a body, but every method of a @Model"
                        + " interface declares a node and must be abstract. Remove the body (and 'default'/'static'), or"
                        + " move the helper out of the interface.");
                // still known by name, so its consumers resolve; the error marks it broken, so nothing else is said
                nodes.add(readNode(node, method, new Report()));
                continue;
            }
            nodes.add(readNode(node, method, report));
        }
        return new Result(new ModelDecl(pkg, name, qualified, generated, nodes, displayName), sites, true);
    }

    /** A method's types or annotations that javac could not resolve ({@code Tensor} not imported, {@code @Dens}). */
    private boolean hasUnresolvedTypes(TypeElement type) {
        for (Element e : type.getEnclosedElements()) {
            if (e.getKind() != ElementKind.METHOD) {
                continue;
            }
            ExecutableElement method = (ExecutableElement) e;
            if (method.getReturnType().getKind() == TypeKind.ERROR
                    || method.getParameters().stream().anyMatch(p -> p.asType().getKind() == TypeKind.ERROR)
                    || method.getAnnotationMirrors().stream()
                            .anyMatch(m -> m.getAnnotationType().getKind() == TypeKind.ERROR)
                    || (source != null && source.hasUnresolved(method))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code @Model(name = ...)} becomes a class name: it must be a Java identifier, and must not hide a type the
     * package's sources reach by an on-demand or implicit import ({@code Activation} from {@code dev.kiln.dsl.*},
     * {@code String} from {@code java.lang}).
     */
    private void checkName(String generated, Report report) {
        Site site = Site.modelAttribute("Model", "name");
        if (!SourceVersion.isIdentifier(generated) || SourceVersion.isKeyword(generated)) {
            report.add(Rule.NAME_CLASH, site, "@Model(name = \"" + generated + "\") names the generated class, but '"
                    + generated + "' is not a legal Java class name. Use an identifier such as \""
                    + suggestion(generated) + "\".");
            return;
        }
        for (String pkg : List.of(DSL, "java.lang")) {
            if (elements.getTypeElement(pkg + "." + generated) != null) {
                report.add(Rule.NAME_CLASH, site, "@Model(name = \"" + generated + "\") names the generated class, but"
                        + " a class " + generated + " beside the interface hides " + pkg + "." + generated + " from"
                        + " every source of its package. Choose another name, e.g. \"" + generated + "Model\".");
                return;
            }
        }
    }

    /** {@code my-model} becomes {@code MyModel}. */
    private static String suggestion(String name) {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : name.toCharArray()) {
            if (Character.isJavaIdentifierPart(c) && (sb.length() > 0 || Character.isJavaIdentifierStart(c))) {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        String s = sb.toString();
        return s.isEmpty() || SourceVersion.isKeyword(s) ? "MyModel" : s;
    }

    /** The node parameter {@code p} consumes: its {@code @From} value, or else its own name. */
    static String consumed(VariableElement p) {
        for (AnnotationMirror m : p.getAnnotationMirrors()) {
            if (m.getAnnotationType().toString().equals("dev.kiln.dsl.From")) {
                for (var e : m.getElementValues().entrySet()) {
                    if (e.getKey().getSimpleName().contentEquals("value")) {
                        return String.valueOf(e.getValue().getValue());
                    }
                }
            }
        }
        return p.getSimpleName().toString();
    }

    private NodeDecl readNode(String node, ExecutableElement method, Report report) {
        if (!isTensor(method.getReturnType())) {
            report.add(Rule.NOT_TENSOR, Site.node(node), "node '" + node + "' returns " + method.getReturnType()
                    + ", but every node returns Tensor. Declare it as 'Tensor " + node + "(...)'.");
        }
        List<String> params = new ArrayList<>();
        List<Integer> states = new ArrayList<>();
        for (VariableElement p : method.getParameters()) {
            String pname = consumed(p);
            if (isInitialState(p)) {
                states.add(params.size());
            }
            params.add(pname);
            if (!isTensor(p.asType())) {
                report.add(Rule.NOT_TENSOR, Site.parameter(node, pname), "parameter '" + pname + "' of '" + node
                        + "' is " + p.asType() + ", but a node's parameters name the nodes it consumes and must be"
                        + " Tensor. Declare it as 'Tensor " + pname + "'.");
            }
        }
        List<LayerDecl> layers = new ArrayList<>();
        LayerDecl output = null;
        for (AnnotationMirror m : method.getAnnotationMirrors()) {
            String qn = qualifiedName(m);
            if (!qn.startsWith(DSL + ".") || qn.equals(DSL + ".Model")) {
                continue;
            }
            LayerDecl decl = decl(m);
            if (qn.equals(DSL + ".Output")) {
                output = decl;
            } else {
                layers.add(decl);
            }
        }
        foldWrapper(layers);
        if (layers.isEmpty()) {
            report.add(Rule.LAYER_ANNOTATION, Site.node(node), "node '" + node + "' has no layer annotation. Say what it"
                    + " computes with exactly one, e.g. @Dense(units = 64) or @Input(shape = 32).");
        } else if (layers.size() > 1) {
            report.add(Rule.LAYER_ANNOTATION, Site.annotation(node, layers.get(1).annotation()), "node '" + node
                    + "' has two layer annotations, @" + layers.get(0).annotation() + " and @" + layers.get(1).annotation()
                    + ", but a node computes one layer. Split it into two nodes, e.g. 'Tensor " + node + "2(Tensor "
                    + node + ")'.");
        }
        ModelDecl nested = null;
        NodeDecl decl = new NodeDecl(node, params, layers, output, null);
        if (decl.isNested()) {
            nested = readNested(node, (String) layers.get(0).attributes().get("value"), report);
        }
        return new NodeDecl(node, params, layers, output, nested, states);
    }

    /** Whether {@code p} is marked {@code @InitialState}. */
    private static boolean isInitialState(VariableElement p) {
        return p.getAnnotationMirrors().stream()
                .anyMatch(m -> m.getAnnotationType().toString().equals(DSL + ".InitialState"));
    }

    /**
     * A wrapper annotation ({@code @Bidirectional}, {@code @TimeDistributed}) on a node with one more layer annotation wraps that layer: the two
     * become one declaration, the wrapper's, holding the wrapped layer's under {@link #WRAPPED}. A wrapper alone keeps
     * no wrapped layer, for its kind to report.
     */
    private static void foldWrapper(List<LayerDecl> layers) {
        int at = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (WRAPPERS.contains(layers.get(i).annotation())) {
                at = i;
            }
        }
        if (at < 0 || layers.size() > 2) {
            return;
        }
        LayerDecl wrapper = layers.get(at);
        Map<String, Object> attributes = new LinkedHashMap<>(wrapper.attributes());
        if (layers.size() == 2) {
            attributes.put(WRAPPED, layers.get(1 - at));
        }
        layers.clear();
        layers.add(new LayerDecl(wrapper.annotation(), attributes, wrapper.explicit()));
    }

    /** The attribute of a folded wrapper's declaration that holds the wrapped layer's {@link LayerDecl}. */
    public static final String WRAPPED = "layer";

    /** The annotations that wrap the layer annotated beside them on the same node. */
    private static final Set<String> WRAPPERS = Set.of("Bidirectional", "TimeDistributed");

    /** The declaration of a model used as a layer; its own errors are reported when it is compiled itself. */
    private ModelDecl readNested(String node, String className, Report report) {
        TypeElement nestedType = elements.getTypeElement(className);
        boolean isModel = nestedType != null && nestedType.getAnnotationMirrors().stream()
                .anyMatch(m -> qualifiedName(m).equals(DSL + ".Model"));
        Site site = Site.attribute(node, "Nested", "value");
        if (!isModel) {
            report.add(Rule.LAYER_ANNOTATION, site, "@Nested on '" + node + "' names " + className + ", which is not a"
                    + " @Model interface. Nest a model: annotate " + className + " with @Model.");
            return null;
        }
        if (!nesting.add(className)) {
            report.add(Rule.CYCLE, site, "@Nested on '" + node + "' names " + className + ", which contains this model"
                    + " itself. Models can nest only without cycles.");
            return null;
        }
        try {
            Report inner = new Report();
            ModelDecl decl = read(nestedType, inner).decl();
            if (inner.hasErrors()) {
                report.add(Rule.LAYER_ANNOTATION, site, "@Nested on '" + node + "' names " + className + ", which has"
                        + " errors of its own (see them there). Fix that model first.");
                return null;
            }
            return decl;
        } finally {
            nesting.remove(className);
        }
    }

    private LayerDecl decl(AnnotationMirror m) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                : elements.getElementValuesWithDefaults(m).entrySet()) {
            all.put(e.getKey().getSimpleName().toString(), AttributeValues.plain(e.getValue()));
        }
        Set<String> explicit = new LinkedHashSet<>(attributes(m).keySet());
        return new LayerDecl(m.getAnnotationType().asElement().getSimpleName().toString(), all, explicit);
    }

    private static Map<String, Object> attributes(AnnotationMirror m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : m.getElementValues().entrySet()) {
            out.put(e.getKey().getSimpleName().toString(), AttributeValues.plain(e.getValue()));
        }
        return out;
    }

    private static String qualifiedName(AnnotationMirror m) {
        return ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().toString();
    }

    private static boolean isTensor(TypeMirror t) {
        return t.toString().equals(TENSOR);
    }

    private static String packageOf(TypeElement type) {
        Element e = type;
        while (!(e instanceof PackageElement)) {
            e = e.getEnclosingElement();
        }
        return ((PackageElement) e).getQualifiedName().toString();
    }

    private static String article(ElementKind kind) {
        String k = kind.name().toLowerCase().replace('_', ' ');
        return ("aeiou".indexOf(k.charAt(0)) >= 0 ? "an " : "a ") + k;
    }
}
