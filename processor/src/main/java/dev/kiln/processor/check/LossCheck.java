package dev.kiln.processor.check;

import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Loss;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import java.util.Locale;

/**
 * A loss must fit its output. Cross-entropies need probabilities (a softmax or sigmoid output); a softmax over one
 * unit is always 1, so a cross-entropy on it never trains; sparse categorical cross-entropy picks one of at least two
 * classes. Legal but almost always a mistake (warnings): binary cross-entropy over a softmax of several classes, and a
 * categorical cross-entropy over sigmoids, whose outputs do not sum to 1. Loss weights are finite and not negative.
 */
final class LossCheck implements Check {
    @Override
    public void run(ModelGraph graph, Report report) {
        for (Node n : graph.outputs()) {
            double weight = n.output().real("lossWeight");
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(n.name(), "Output", "lossWeight"), "output '" + n.name()
                        + "' has lossWeight = " + weight + ", but a loss weight scales the loss and must be a finite"
                        + " number >= 0. Use e.g. @Output(lossWeight = 0.5).");
            }
            if (n.shape() == null || report.isBroken(n.name())) {
                continue;
            }
            check(graph, n, report);
        }
    }

    private static void check(ModelGraph graph, Node n, Report report) {
        Loss loss = Loss.valueOf(n.output().constant("loss"));
        if (loss != Loss.CATEGORICAL_CROSSENTROPY && loss != Loss.SPARSE_CATEGORICAL_CROSSENTROPY
                && loss != Loss.BINARY_CROSSENTROPY) {
            return;
        }
        Site site = Site.attribute(n.name(), "Output", "loss");
        Activation a = graph.outputActivation(n);
        String lossName = loss.name().toLowerCase(Locale.ROOT);
        long units = n.shape().last();
        boolean sigmoid = a == Activation.SIGMOID || a == Activation.HARD_SIGMOID;
        if (a != Activation.SOFTMAX && !sigmoid) {
            report.add(Rule.LOSS_MISMATCH, site, lossName + " needs probabilities, but output '" + n.name() + "' ends in "
                    + a + " and can leave [0, 1]. End it in "
                    + (loss == Loss.BINARY_CROSSENTROPY ? "activation = SIGMOID" : "activation = SOFTMAX")
                    + ", or choose a regression loss such as MEAN_SQUARED_ERROR.");
        } else if (loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY && units == 1) {
            report.add(Rule.LOSS_MISMATCH, site, lossName + " picks one of several classes, but output '" + n.name()
                    + "' has 1. Give it one unit per class, or use BINARY_CROSSENTROPY with a sigmoid for a yes/no"
                    + " output.");
        } else if (units == 1 && (a == Activation.SOFTMAX || loss == Loss.CATEGORICAL_CROSSENTROPY)) {
            report.add(Rule.LOSS_MISMATCH, site, lossName + " on output '" + n.name() + "' sees "
                    + (a == Activation.SOFTMAX ? "a softmax over 1 unit" : "1 unit renormalized to sum to 1")
                    + ", which is always 1, so the loss never changes and nothing trains. For a yes/no output end '"
                    + n.name() + "' in activation = SIGMOID with BINARY_CROSSENTROPY; for classes give it one unit per"
                    + " class.");
        } else if (loss == Loss.BINARY_CROSSENTROPY && a == Activation.SOFTMAX && units > 1) {
            report.add(Rule.LOSS_WARNING, site, "binary_crossentropy on a softmax over " + units + " classes in output '"
                    + n.name() + "' treats each class as its own yes/no question; for one class per sample use"
                    + " CATEGORICAL_CROSSENTROPY (one-hot targets) or SPARSE_CATEGORICAL_CROSSENTROPY (class ids).");
        } else if (loss != Loss.BINARY_CROSSENTROPY && sigmoid && units > 1) {
            report.add(Rule.LOSS_WARNING, site, lossName + " on output '" + n.name() + "' expects one distribution over "
                    + units + " classes, but its " + a + " outputs do not sum to 1. End '" + n.name() + "' in activation"
                    + " = SOFTMAX for one class per sample, or use BINARY_CROSSENTROPY for independent yes/no labels.");
        }
    }
}
