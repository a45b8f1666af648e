package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Initializer;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * {@code @Embedding(inputDim, outputDim)}: Keras's {@code Embedding}, on int32 ids. Forward gathers rows; backward
 * scatters the output's gradient into the table's (repeated ids add up). Ids get no gradient.
 */
@AutoService(LayerKind.class)
public final class EmbeddingKind extends LayerKind<EmbeddingKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("EmbeddingKernel");

    public record Attributes(int inputDim, int outputDim, Initializer embeddingsInitializer, boolean maskZero,
            boolean trainable) {
    }

    @Override
    public String annotation() {
        return "Embedding";
    }

    @Override
    public Example example() {
        return Example.ofIds("@Embedding(inputDim = " + Example.IDS + ", outputDim = 4, maskZero = true)",
                new long[] {5}).then("@LSTM(units = 2)");
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integer("inputDim"), d.integer("outputDim"),
                d.constant("embeddingsInitializer", Initializer.class), d.flag("maskZero"), d.flag("trainable"));
    }

    @Override
    protected boolean producesMask(Attributes a) {
        return a.maskZero();
    }

    @Override
    protected boolean takesIds(Attributes a) {
        return true;
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        positive(node, "inputDim", a.inputDim(), "the number of ids (the vocabulary's size)", report);
        positive(node, "outputDim", a.outputDim(), "the length of each id's vector", report);
    }

    private static void positive(NodeDecl node, String attribute, int value, String what, Report report) {
        if (value <= 0) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Embedding", attribute), "Embedding '"
                    + node.name() + "' has " + attribute + " = " + value + ", but " + attribute + " is " + what
                    + " and must be positive. Use e.g. @Embedding(inputDim = 10000, outputDim = 64).");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        long[] in = inputs.get(0).dims();
        if (a.maskZero() && in.length != 1) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Embedding", "maskZero"), "Embedding '"
                    + node.name() + "' has maskZero = true, but its ids '" + node.parameters().get(0) + "' have shape "
                    + inputs.get(0) + "; a mask marks the steps of a sequence, so the ids must be one per step,"
                    + " e.g. @Input(shape = Input.NONE, dtype = INT32).");
            return null;
        }
        long[] out = java.util.Arrays.copyOf(in, in.length + 1);
        out[in.length] = a.outputDim();
        return Shape.of(out);
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        return List.of(new Variable("embeddings", Shape.of(a.inputDim(), a.outputDim()), a.embeddingsInitializer(),
                a.trainable()));
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        String ids = c.value(input);
        String y = c.value(node.name());
        WeightFields table = c.weight(node, "embeddings");
        String mask = c.mask(node.name());
        if (mask == null) {
            c.call(KERNEL, "forward", y + " = embeddings[" + ids + "]", ref(ids), ref(table.field()), ref(y),
                    new Arg.Text(input));
        } else {
            c.call(KERNEL, "forward", y + " = embeddings[" + ids + "], and the mask of ids that are not 0", ref(ids),
                    ref(table.field()), ref(y), new Arg.Text(input), ref(mask));
        }
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        WeightFields table = c.weight(node, "embeddings");
        if (table.gradientField() == null) {
            return;
        }
        String ids = c.value(node.inputs().get(0));
        c.call(KERNEL, "backward", "the output's gradient added into the rows of the ids looked up", ref(ids),
                ref(c.gradient(node.name())), ref(table.gradientField()), bool(c.accumulateWeight(table)));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("EmbeddingConfig", Arg.integer(a.inputDim()), Arg.integer(a.outputDim()))
                .setting(d, "embeddingsInitializer",
                        new Arg.Constant(Initializer.class, a.embeddingsInitializer().name()))
                .setting(d, "maskZero", bool(a.maskZero())).setting(d, "trainable", bool(a.trainable()));
    }
}
