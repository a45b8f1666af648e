package dev.kiln.spark;

import dev.kiln.dsl.Loss;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The columns a model reads from a {@code Dataset<Row>}: one per input, named as the input, and (for training) one per
 * output that has a loss, named as the output. Checked against the schema on the driver before any job runs.
 */
final class Layout implements Serializable {
    private static final long serialVersionUID = 1L;

    final List<Column> inputs;
    /** One per model output, in the model's order; null for an output without a loss (it needs no label). */
    final List<Column> labels;

    private Layout(List<Column> inputs, List<Column> labels) {
        this.inputs = inputs;
        this.labels = labels;
    }

    /** The model's input columns, and its label columns when {@code withLabels}, bound to {@code schema}. */
    static Layout of(KilnModel model, StructType schema, boolean withLabels) {
        ModelSpec spec = model.spec();
        List<Column> inputs = new ArrayList<>();
        for (ModelSpec.InputSpec in : spec.inputs()) {
            Column c = new Column("input", in.name(), in.shape(), "the input's shape " + Column.shapeText(in.shape()));
            c.bind(schema);
            inputs.add(c);
        }
        List<Column> labels = new ArrayList<>();
        if (withLabels) {
            for (OutputSpec o : model.outputs()) {
                if (o.loss() == Loss.NONE) {
                    labels.add(null);
                    continue;
                }
                long[] shape = spec.node(o.name()).shape();
                Column c;
                if (Losses.sparse(o.loss())) {
                    long[] ids = Arrays.copyOf(shape, shape.length - 1);
                    c = new Column("output", o.name(), ids, "class ids in 0.." + (shape[shape.length - 1] - 1)
                            + " for " + o.loss() + (ids.length == 0 ? "" : ", shape " + Column.shapeText(ids)));
                    c.classes = shape[shape.length - 1];
                } else {
                    c = new Column("output", o.name(), shape, "targets of the output's shape "
                            + Column.shapeText(shape) + " for " + o.loss());
                }
                c.bind(schema);
                labels.add(c);
            }
        }
        return new Layout(List.copyOf(inputs), java.util.Collections.unmodifiableList(labels));
    }

    /** The width of one sample in each packed array: inputs first, then labels (0 for an output without one). */
    int[] widths() {
        int[] w = new int[inputs.size() + labels.size()];
        for (int i = 0; i < inputs.size(); i++) {
            w[i] = inputs.get(i).width;
        }
        for (int j = 0; j < labels.size(); j++) {
            w[inputs.size() + j] = labels.get(j) == null ? 0 : labels.get(j).width;
        }
        return w;
    }

    /**
     * Reads one row into {@code packed} (one array per input then label, each {@code rows * width} long) at sample
     * {@code r}; returns null or the first problem, naming the column (the caller adds the row's number).
     */
    String read(Row row, double[][] packed, int r) {
        for (int i = 0; i < inputs.size(); i++) {
            Column c = inputs.get(i);
            String problem = c.read(row, packed[i], r * c.width);
            if (problem != null) {
                return "column '" + c.name + "' " + problem;
            }
        }
        for (int j = 0; j < labels.size(); j++) {
            Column c = labels.get(j);
            if (c == null) {
                continue;
            }
            String problem = c.read(row, packed[inputs.size() + j], r * c.width);
            if (problem != null) {
                return "column '" + c.name + "' " + problem;
            }
        }
        return null;
    }
}
