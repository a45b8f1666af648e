package dev.kiln.runtime.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stops training when the monitored value has stopped improving, as Keras's {@code EarlyStopping}: defaults
 * {@code monitor = "val_loss"}, {@code minDelta = 0}, {@code patience = 0}, mode AUTO, no baseline,
 * {@code restoreBestWeights = false}, {@code startFromEpoch = 0}.
 *
 * <pre>{@code new EarlyStopping().monitor("val_loss").patience(3).restoreBestWeights(true)}</pre>
 *
 * With {@code restoreBestWeights}, the weights of the best epoch are put back at the end of training (through
 * {@link Trainable#getWeights()} / {@link Trainable#setWeights}), whether or not training stopped early.
 */
public final class EarlyStopping extends MonitorCallback<EarlyStopping> {

    private int patience;
    private Double baseline;
    private boolean restoreBestWeights;
    private int startFromEpoch;

    private int wait;
    private int stoppedEpoch;
    private int bestEpoch;
    private Double best;
    private Map<String, INDArray> bestWeights;

    /** Keras's defaults: watches {@code val_loss}, patience 0. */
    public EarlyStopping() {
        super("val_loss", 0);
    }

    /** Epochs without improvement after which training stops. */
    public EarlyStopping patience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be at least 0, but is " + patience);
        }
        this.patience = patience;
        return this;
    }

    /** Training stops if the value does not beat {@code baseline} within {@code patience} epochs. */
    public EarlyStopping baseline(double baseline) {
        this.baseline = baseline;
        return this;
    }

    /** Whether to put back the best epoch's weights at the end. */
    public EarlyStopping restoreBestWeights(boolean restore) {
        this.restoreBestWeights = restore;
        return this;
    }

    /** Epochs to wait before watching at all (a warm-up). */
    public EarlyStopping startFromEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("startFromEpoch must be at least 0, but is " + epoch);
        }
        this.startFromEpoch = epoch;
        return this;
    }

    /** The epoch (from 0) at which this callback stopped training, or 0 when it did not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch (from 0) with the best monitored value so far. */
    public int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public void onTrainBegin() {
        resolveMonitor();
        wait = 0;
        stoppedEpoch = 0;
        best = null;
        bestWeights = null;
        bestEpoch = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = monitored(logs);
        if (current == null || epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = context().model().getWeights();   // even a worse epoch beats nothing, as in Keras
            bestEpoch = epoch;
        }
        wait++;
        if (isImprovement(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = context().model().getWeights();
            }
            if (baseline == null || isImprovement(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            context().stopTraining();
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (stoppedEpoch > 0) {
            say("Epoch " + (stoppedEpoch + 1) + ": early stopping");
        }
        if (restoreBestWeights && bestWeights != null) {
            say("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
            context().model().setWeights(bestWeights);
        }
    }
}
