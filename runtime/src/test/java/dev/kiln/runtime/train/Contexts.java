package dev.kiln.runtime.train;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Training contexts for driving a callback by hand. */
final class Contexts {

    private Contexts() {
    }

    /** A context whose logs have {@code names}; those ending in loss or error go down, the others up. */
    static TrainingContext of(Trainable model, PrintStream out, String... names) {
        Map<String, MonitorMode> directions = new LinkedHashMap<>();
        for (String name : names) {
            directions.put(name, name.endsWith("loss") || name.endsWith("error") ? MonitorMode.MIN : MonitorMode.MAX);
        }
        return new TrainingContext(model, 100, 10, 1, out, directions);
    }

    static TrainingContext of(Trainable model, String... names) {
        return of(model, new PrintStream(java.io.OutputStream.nullOutputStream()), names);
    }
}
