package dev.kiln.spark;

import dev.kiln.dsl.Loss;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The values a model reads from each record: one per input, named as the input, and (for training) one per output
 * that has a loss, named as the output. The records are a {@code Dataset<Row>}'s rows, whose columns are checked
 * against the schema on the driver before any job runs, or {@link Sample}s, whose values are found by name.
 */
final class Layout implements Serializable {
    private static final long serialVersionUID = 1L;

    final List<Column> inputs;
    /** One per model output, in the model's order; null for an output without a loss (it needs no label). */
    final List<Column> labels;
    /** Whether the records are {@link Sample}s (otherwise rows of the bound schema). */
    final boolean samples;
    /** Samples scored by predict: the names of the values predict adds, which a sample must not have yet. */
    final List<String> added;

    private Layout(List<Column> inputs, List<Column> labels, boolean samples, List<String> added) {
        this.inputs = inputs;
        this.labels = labels;
        this.samples = samples;
        this.added = added;
    }

    /** The model's input columns, and its label columns when {@code withLabels}, bound to {@code schema}. */
    static Layout of(KilnModel model, StructType schema, boolean withLabels) {
        Layout layout = columns(model, withLabels, false, List.of());
        layout.inputs.forEach(c -> c.bind(schema));
        layout.labels.stream().filter(c -> c != null).forEach(c -> c.bind(schema));
        return layout;
    }

    /**
     * The values a {@link Sample} must have for the model's inputs, and its outputs when {@code withLabels};
     * {@code added}, the names predict will add, must not be among a sample's values.
     */
    static Layout ofSamples(KilnModel model, boolean withLabels, List<String> added) {
        return columns(model, withLabels, true, List.copyOf(added));
    }

    private static Layout columns(KilnModel model, boolean withLabels, boolean samples, List<String> added) {
        ModelSpec spec = model.spec();
        List<Column> inputs = new ArrayList<>();
        for (ModelSpec.InputSpec in : spec.inputs()) {
            inputs.add(new Column("input", in.name(), in.shape(), "the input's shape " + Column.shapeText(in.shape())));
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
                labels.add(c);
            }
        }
        return new Layout(List.copyOf(inputs), Collections.unmodifiableList(labels), samples, added);
    }

    /** What a record is called in messages: {@code row} or {@code sample}. */
    String noun() {
        return samples ? "sample" : "row";
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
     * Reads one record (a Row or a Sample) into {@code packed} (one array per input then label, each
     * {@code records * width} long) at position {@code r}; returns null or the first problem, naming the column or
     * value (the caller adds the record's number).
     */
    String read(Object record, double[][] packed, int r) {
        if (record == null) {
            return "is null";
        }
        if (samples) {
            Sample sample = (Sample) record;
            for (String name : added) {
                if (sample.has(name)) {
                    return "already has a value '" + name + "', the name under which predict adds an output: remove"
                            + " it, or give predict a prefix for the outputs (e.g. \"predicted_\")";
                }
            }
        }
        for (int i = 0; i < inputs.size() + labels.size(); i++) {
            Column c = i < inputs.size() ? inputs.get(i) : labels.get(i - inputs.size());
            if (c == null) {
                continue;
            }
            String problem = samples ? readSample((Sample) record, c, packed[i], r * c.width)
                    : c.read(c.valueOf((Row) record), packed[i], r * c.width);
            if (problem != null) {
                return (samples ? "'" : "column '") + c.name + "' " + problem;
            }
        }
        return null;
    }

    private static String readSample(Sample sample, Column c, double[] out, int offset) {
        Object value = sample.get(c.name);
        if (value == null) {
            return "is missing: the model's " + c.role + " '" + c.name + "' takes " + c.expects + "; the sample has "
                    + sample.names();
        }
        return c.read(value, out, offset);
    }
}
