package dev.kiln.benchmarks;

import java.util.List;

/** The workloads {@code benchmarks/run} knows, by name. */
final class Workloads {
    static final List<Workload> ALL = List.of(new FashionMlpWorkload(), new FashionCnnWorkload(),
            new TextLstmWorkload());

    private Workloads() {
    }

    static Workload named(String name) {
        return ALL.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no workload '" + name + "'; there are "
                        + ALL.stream().map(Workload::name).toList()));
    }
}
