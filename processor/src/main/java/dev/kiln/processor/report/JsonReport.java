package dev.kiln.processor.report;

import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.plan.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report for tools: the same facts as the text, as JSON. Shapes are arrays of axis lengths, {@code null} for an
 * open axis; the layer's attributes are given as written in the annotation, defaults filled in.
 */
final class JsonReport {
    /** Bumped when a field changes meaning or goes away (adding fields keeps it). */
    static final int FORMAT = 1;

    private JsonReport() {
    }

    static String render(ModelReport r, String dot) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("model", r.model());
        root.put("generated", r.generated());
        root.put("hash", r.hash());
        List<Object> nodes = new ArrayList<>();
        for (ModelReport.Row row : r.rows()) {
            Node n = row.node();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n.name());
            m.put("layer", n.layer().kerasName());
            m.put("annotation", n.decl().source());
            m.put("attributes", attributes(n.decl()));
            m.put("inputs", n.inputs());
            m.put("outputShape", shape(n.shape()));
            m.put("params", row.params());
            m.put("trainableParams", row.trainableParams());
            m.put("forwardMacs", row.forwardMacs());
            m.put("trainingMacs", row.trainingMacs());
            if (n.isOutput()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("loss", n.output().constant("loss"));
                out.put("lossWeight", n.output().real("lossWeight"));
                out.put("metrics", n.output().attributes().get("metrics"));
                m.put("output", out);
            }
            nodes.add(m);
        }
        root.put("nodes", nodes);
        root.put("unplanned", r.unplanned());
        ModelReport.Totals t = r.totals();
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("params", t.params());
        totals.put("trainableParams", t.trainableParams());
        totals.put("nonTrainableParams", t.nonTrainableParams());
        totals.put("forwardMacs", t.forwardMacs());
        totals.put("trainingMacs", t.trainingMacs());
        totals.put("activationValues", t.activationElements());
        totals.put("activationBytesFloat32", t.activationElements() * 4);
        totals.put("bufferValues", t.bufferElements());
        totals.put("bufferBytesFloat32", t.bufferElements() * 4);
        root.put("perSample", totals);
        Map<String, Object> calls = new LinkedHashMap<>();
        calls.put("predict", r.calls().inference());
        calls.put("trainingForward", r.calls().trainingForward());
        calls.put("backward", r.calls().backward());
        root.put("kernelCalls", calls);
        root.put("slots", r.slots());
        List<Object> buffers = new ArrayList<>();
        for (Plan.Buffer b : r.buffers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("slot", b.slot());
            m.put("field", b.field());
            m.put("shape", shape(b.shape()));
            buffers.add(m);
        }
        root.put("buffers", buffers);
        List<Object> weights = new ArrayList<>();
        for (Plan.Weight w : r.weights()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", w.index());
            m.put("name", w.name());
            m.put("shape", shape(w.variable().shape()));
            m.put("initializer", w.variable().initializer().name());
            m.put("trainable", w.variable().trainable());
            m.put("field", w.field());
            weights.add(m);
        }
        root.put("weights", weights);
        if (dot != null) {
            root.put("dot", dot);
        }
        return Json.write(root);
    }

    private static List<Object> shape(Shape s) {
        List<Object> out = new ArrayList<>();
        for (long d : s.dims()) {
            out.add(d < 0 ? null : d);
        }
        return out;
    }

    /** A declaration's attributes; a wrapper's wrapped layer as {@code {"annotation": ..., "attributes": ...}}. */
    private static Map<String, Object> attributes(dev.kiln.processor.read.LayerDecl decl) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        decl.attributes().forEach((k, v) -> {
            if (v instanceof dev.kiln.processor.read.LayerDecl wrapped) {
                Map<String, Object> layer = new java.util.LinkedHashMap<>();
                layer.put("annotation", wrapped.annotation());
                layer.put("attributes", attributes(wrapped));
                out.put(k, layer);
            } else {
                out.put(k, v);
            }
        });
        return out;
    }
}
