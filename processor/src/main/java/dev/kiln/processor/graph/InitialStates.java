package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.layer.Layer;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code initial_state}: the parameters of a recurrent node after its sequence, each marked
 * {@code @InitialState}, feed its states in the layer's order ({@link Layer#states}), all of them or none. The marks are
 * checked with the node's wiring, the widths once its inputs' shapes are known.
 */
final class InitialStates {
    private InitialStates() {
    }

    /**
     * Whether {@code d}'s {@code @InitialState} marks fit its layer: only on a layer that has states, on every
     * parameter after the first and on no other, one per state. Reports what does not and returns false.
     */
    static boolean marked(NodeDecl d, Layer<?> layer, Report report) {
        Map<String, Shape> states = layer.states();
        List<Integer> marked = d.initialStates();
        String node = layer.kerasName() + " '" + d.name() + "'";
        if (states.isEmpty()) {
            if (marked.isEmpty()) {
                return true;
            }
            report.add(Rule.INPUT_COUNT, Site.parameter(d.name(), d.parameters().get(marked.get(0))), "'"
                    + d.parameters().get(marked.get(0)) + "' is marked @InitialState, but " + node + " has no state"
                    + " to start from. @InitialState feeds the initial states of a recurrent layer (LSTM, GRU,"
                    + " SimpleRNN); remove it.");
            return false;
        }
        if (marked.contains(0)) {
            report.add(Rule.INPUT_COUNT, Site.parameter(d.name(), d.parameters().get(0)), node + " reads its"
                    + " sequence from its first parameter, but '" + d.parameters().get(0) + "' is marked"
                    + " @InitialState. Put the sequence first and the initial states after it: " + usage(d, states));
            return false;
        }
        for (int i = 1; i < d.parameters().size(); i++) {
            if (!marked.contains(i)) {
                report.add(Rule.INPUT_COUNT, Site.parameter(d.name(), d.parameters().get(i)), node + " takes one"
                        + " sequence, then its initial states marked @InitialState, but '" + d.parameters().get(i)
                        + "' is not marked. Mark it '@InitialState Tensor " + d.parameters().get(i)
                        + "', or remove it.");
                return false;
            }
        }
        if (!marked.isEmpty() && marked.size() != states.size()) {
            report.add(Rule.INPUT_COUNT, Site.parameter(d.name(), d.parameters().get(marked.get(marked.size() - 1))),
                    node + " starts from " + states.size() + " state" + (states.size() == 1 ? "" : "s") + " ("
                            + String.join(", ", states.keySet()) + "), all given or none, but " + marked.size()
                            + " parameter" + (marked.size() == 1 ? " is" : "s are") + " marked @InitialState. Feed "
                            + (states.size() == 1 ? "it" : "them in this order") + ": " + usage(d, states));
            return false;
        }
        return true;
    }

    /** {@code 'Tensor decoder(Tensor x, @InitialState Tensor h, @InitialState Tensor c)'}. */
    private static String usage(NodeDecl d, Map<String, Shape> states) {
        List<String> params = new ArrayList<>();
        params.add("Tensor " + (d.initialStates().contains(0) && d.parameters().size() > 1 ? "sequence"
                : d.parameters().get(0)));
        states.keySet().forEach(s -> params.add("@InitialState Tensor " + s));
        return "'Tensor " + d.name() + "(" + String.join(", ", params) + ")'.";
    }

    /**
     * Whether the initial states {@code d} is given, of shapes {@code in} after the sequence's, have the shapes of the
     * layer's states; reports the first that does not, on its parameter, and returns false.
     */
    static boolean fit(NodeDecl d, Layer<?> layer, List<Shape> in, Report report) {
        if (layer == null) {
            return true;
        }
        List<String> names = new ArrayList<>(layer.states().keySet());
        for (int i = 1; i < in.size() && i - 1 < names.size(); i++) {
            Shape want = layer.states().get(names.get(i - 1));
            if (!want.equals(in.get(i))) {
                String p = d.parameters().get(i);
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(d.name(), p), layer.kerasName() + " '" + d.name()
                        + "' takes '" + p + "' as its initial state " + names.get(i - 1) + ", of shape " + want
                        + ", but '" + p + "' has shape " + in.get(i) + ".", "Make them agree, e.g. " + units(layer,
                                in.get(i)) + " on '" + d.name() + "'.");
                return false;
            }
        }
        return true;
    }

    /** A fix for a state of the wrong width: the layer with {@code units} set to the state's last axis. */
    private static String units(Layer<?> layer, Shape state) {
        String src = layer.decl().source();
        String units = "units = " + state.last();
        return src.matches(".*units = \\d+.*") ? src.replaceFirst("units = \\d+", units) : "@" + layer.annotation()
                + "(" + units + ")";
    }
}
