package dev.kiln.spark;

import dev.kiln.runtime.train.History;
import java.util.List;

/** What {@link KilnSpark#fit} returns: the History, as {@code fit}'s, and each epoch's {@link EpochCost}. */
public record SparkRun(History history, List<EpochCost> costs) {
    public SparkRun {
        costs = List.copyOf(costs);
    }
}
