package dev.kiln.processor.check;

import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Loss;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.plan.Activations;

/**
 * A loss must fit its output: cross-entropies need probabilities (a softmax or sigmoid output); binary cross-entropy
 * over a softmax of several classes is legal but almost always a mistake (warning); loss weights are not negative.
 */
final class LossCheck implements Check {
    @Override
    public void run(ModelGraph graph, Report report) {
        for (Node n : graph.outputs()) {
            if (n.shape() == null || report.isBroken(n.name())) {
                continue;
            }
            Loss loss = Loss.valueOf(n.output().constant("loss"));
            Site site = Site.attribute(n.name(), "Output", "loss");
            double weight = n.output().real("lossWeight");
            if (weight < 0) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(n.name(), "Output", "lossWeight"), "output '" + n.name()
                        + "' has lossWeight = " + weight + ", but a loss weight scales the loss and cannot be negative.");
            }
            Activation a = Activations.of(graph, n);
            boolean probabilities = a == Activation.SOFTMAX || a == Activation.SIGMOID || a == Activation.HARD_SIGMOID;
            String lossName = loss.name().toLowerCase();
            switch (loss) {
                case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY, BINARY_CROSSENTROPY -> {
                    if (!probabilities) {
                        report.add(Rule.LOSS_MISMATCH, site, lossName + " needs probabilities, but output '" + n.name()
                                + "' ends in " + a + " and can leave [0, 1]. End it in "
                                + (loss == Loss.BINARY_CROSSENTROPY ? "activation = SIGMOID" : "activation = SOFTMAX")
                                + ", or choose a regression loss such as MEAN_SQUARED_ERROR.");
                    } else if (loss == Loss.BINARY_CROSSENTROPY && a == Activation.SOFTMAX && n.shape().last() > 1) {
                        report.add(Rule.LOSS_WARNING, site, "binary_crossentropy on a softmax over " + n.shape().last()
                                + " classes in output '" + n.name() + "' treats each class as its own yes/no question;"
                                + " for one class per sample use CATEGORICAL_CROSSENTROPY (one-hot targets) or"
                                + " SPARSE_CATEGORICAL_CROSSENTROPY (class ids).");
                    } else if (loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY && n.shape().last() < 2) {
                        report.add(Rule.LOSS_MISMATCH, site, lossName + " picks one of several classes, but output '"
                                + n.name() + "' has " + n.shape().last() + ". Give it one unit per class, or use"
                                + " BINARY_CROSSENTROPY with a sigmoid for a yes/no output.");
                    }
                }
                default -> {
                }
            }
        }
    }
}
