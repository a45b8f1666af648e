package dev.kiln.processor.layer;

import com.google.auto.service.AutoService;
import dev.kiln.processor.Report;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** {@code @Flatten}: one sample as a vector, Keras's {@code Flatten}. */
@AutoService(LayerKind.class)
public final class FlattenKind extends LayerKind<FlattenKind.Attributes> {
    /** Flatten has no attributes. */
    public record Attributes() {
    }

    @Override
    public String annotation() {
        return "Flatten";
    }

    @Override
    public Example example() {
        return Example.of("@Flatten", new long[] {4, 6});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes();
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        return ShapeKinds.fixed(annotation(), node, in, report) ? Shape.of(in.elements()) : null;
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        ShapeKinds.copyForward(node, c);
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        ShapeKinds.copyBackward(node, c);
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl decl) {
        return RuntimeConfig.of("FlattenConfig");
    }
}
