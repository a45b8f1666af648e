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
        boolean crossEntropy = loss == Loss.CATEGORICAL_CROSSENTROPY || loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY
                || loss == Loss.BINARY_CROSSENTROPY;
        boolean fromLogits = n.output().flag("fromLogits");
        String lossName = loss.name().toLowerCase(Locale.ROOT);
        if (n.output().explicit().contains("huberDelta")) {
            double delta = n.output().real("huberDelta");
            Site deltaSite = Site.attribute(n.name(), "Output", "huberDelta");
            if (loss != Loss.HUBER) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, deltaSite, "output '" + n.name() + "' has huberDelta = " + delta
                        + ", but its loss is " + lossName + "; only loss = HUBER has a delta. Drop huberDelta, or use"
                        + " loss = HUBER.");
                return;
            }
            if (!(delta > 0) || Double.isInfinite(delta)) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, deltaSite, "output '" + n.name() + "' has huberDelta = " + delta
                        + "; the delta where the Huber loss turns linear must be a positive finite number, e.g. 1.0"
                        + " (Keras's default).");
                return;
            }
        }
        if (loss == Loss.NONE && n.output().explicit().contains("reduction")) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(n.name(), "Output", "reduction"), "output '" + n.name()
                    + "' has reduction = " + n.output().constant("reduction") + ", but no loss to reduce. Give it a"
                    + " loss, e.g. @Output(loss = Loss.MEAN_SQUARED_ERROR, reduction = Reduction."
                    + n.output().constant("reduction") + "), or drop reduction.");
            return;
        }
        if (fromLogits && !crossEntropy) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(n.name(), "Output", "fromLogits"), "output '" + n.name()
                    + "' has fromLogits = true, but its loss is " + lossName + "; only the cross-entropies take"
                    + " logits. Drop fromLogits, or use a cross-entropy.");
            return;
        }
        if (!crossEntropy) {
            return;
        }
        Site site = Site.attribute(n.name(), "Output", "loss");
        Activation a = graph.outputActivation(n);
        long units = n.shape().last();
        boolean sigmoid = a == Activation.SIGMOID || a == Activation.HARD_SIGMOID;
        if (fromLogits) {
            logits(n, loss, lossName, a, units, report);
        } else if (a != Activation.SOFTMAX && !sigmoid) {
            report.add(Rule.LOSS_MISMATCH, site, lossName + " needs probabilities, but output '" + n.name() + "' ends in "
                    + a + " and can leave [0, 1]. End it in "
                    + (loss == Loss.BINARY_CROSSENTROPY ? "activation = SIGMOID" : "activation = SOFTMAX")
                    + ", declare its values logits with @Output(fromLogits = true), or choose a regression loss such"
                    + " as MEAN_SQUARED_ERROR.");
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

    /** A cross-entropy from logits: the output must not be probabilities already, and needs classes to pick from. */
    private static void logits(Node n, Loss loss, String lossName, Activation a, long units, Report report) {
        Site site = Site.attribute(n.name(), "Output", "fromLogits");
        if (a == Activation.SOFTMAX || a == Activation.SIGMOID || a == Activation.HARD_SIGMOID) {
            report.add(Rule.LOSS_WARNING, site, "output '" + n.name() + "' ends in " + a + ", so its values are"
                    + " probabilities, but fromLogits = true reads them as logits and applies a second "
                    + (loss == Loss.BINARY_CROSSENTROPY ? "sigmoid" : "softmax") + ". End '" + n.name()
                    + "' linear (no activation) to keep fromLogits, or drop fromLogits.");
        } else if (loss != Loss.BINARY_CROSSENTROPY && units == 1) {
            report.add(Rule.LOSS_MISMATCH, site, lossName + " from logits on output '" + n.name() + "' sees 1 unit,"
                    + " whose softmax is always 1, so nothing trains. Give it one unit per class, or use"
                    + " BINARY_CROSSENTROPY for a yes/no output.");
        }
    }
}
