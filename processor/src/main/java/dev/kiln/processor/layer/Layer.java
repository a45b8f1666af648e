package dev.kiln.processor.layer;

import dev.kiln.dsl.Activation;
import dev.kiln.processor.Report;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * A layer kind bound to one annotation's typed attributes: what the stages call. Each method hands the attributes to
 * the kind, so no stage ever casts or looks an attribute up by name.
 */
public record Layer<A>(LayerKind<A> kind, A attributes, LayerDecl decl) {
    public String annotation() {
        return kind.annotation();
    }

    public String kerasName() {
        return kind.kerasName();
    }

    public int minInputs() {
        return kind.minInputs(attributes);
    }

    public int maxInputs() {
        return kind.maxInputs(attributes);
    }

    public LayerKind.MaskUse maskUse() {
        return kind.maskUse(attributes);
    }

    public boolean producesMask() {
        return kind.producesMask(attributes);
    }

    public boolean takesIds() {
        return kind.takesIds(attributes);
    }

    public void validate(NodeDecl node, Report report) {
        kind.validate(node, attributes, report);
    }

    public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
        return kind.outputShape(node, attributes, inputs, report);
    }

    /** The values the layer gives besides its output, by name; see {@link LayerKind#parts}. */
    public java.util.Map<String, Shape> parts(List<Shape> inputs) {
        return kind.parts(attributes, inputs);
    }

    /** The setting that would give the layer parts, or null; see {@link LayerKind#partsSetting}. */
    public String partsSetting() {
        return kind.partsSetting(attributes);
    }

    /** The states {@code @InitialState} parameters feed, by name; see {@link LayerKind#states}. */
    public java.util.Map<String, Shape> states() {
        return kind.states(attributes);
    }

    public List<Variable> variables(List<Shape> inputs) {
        return kind.variables(attributes, inputs);
    }

    public long forwardMacs(List<Shape> inputs, Shape output) {
        return kind.forwardMacs(attributes, inputs, output);
    }

    /** The activation an output of {@code shape} ends in; null when the layer passes its input's on. */
    public Activation outputActivation(Shape output) {
        return kind.outputActivation(attributes, output);
    }

    public void forward(Node node, Lowerer c) {
        kind.forward(node, attributes, c);
    }

    public void backward(Node node, Lowerer c) {
        kind.backward(node, attributes, c);
    }

    public RuntimeConfig config() {
        return kind.config(attributes, decl);
    }

    /** True for a model input. */
    public boolean isInput() {
        return kind instanceof InputKind;
    }
}
