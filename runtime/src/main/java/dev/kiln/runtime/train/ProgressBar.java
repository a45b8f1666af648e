package dev.kiln.runtime.train;

import java.io.PrintStream;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keras's progress display ({@code Progbar} as driven by {@code ProgbarLogger}), in Keras 2's ASCII format.
 *
 * <pre>
 * verbose 1, one line rewritten in place with '\r', at most 10 times a second:
 *   Epoch 3/10
 *    12/469 [..............................] - ETA: 3s - loss: 0.4512 - accuracy: 0.8311
 *   469/469 [==============================] - 2s 4ms/step - loss: 0.4102 - accuracy: 0.8511 - val_loss: 0.3920 - 12,345 samples/s
 * verbose 2, one line per epoch:
 *   Epoch 3/10 - 2s - 4ms/step - loss: 0.4102 - val_loss: 0.3920 - 12,345 samples/s
 * </pre>
 *
 * The epoch time includes validation; ms/step and samples/s count the training steps only.
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final int verbose;
    private final PrintStream out;
    private final LongSupplier clock;
    private String epochLabel = "";
    private int target;
    private long epochStart;
    private long afterFirstStep;
    private long lastDraw;
    private boolean drawn;
    private int drawnWidth;

    ProgressBar(int verbose, PrintStream out, LongSupplier clock) {
        this.verbose = verbose;
        this.out = out;
        this.clock = clock;
    }

    /** Epoch {@code epoch} (from 0) of {@code epochs} starts, with {@code steps} batches. */
    void epochBegin(int epoch, int epochs, int steps) {
        epochLabel = "Epoch " + (epoch + 1) + "/" + epochs;
        target = steps;
        epochStart = clock.getAsLong();
        drawn = false;
        drawnWidth = 0;
        if (verbose == 1) {
            out.println(epochLabel);
            out.flush();
        }
    }

    /** {@code current} batches of the epoch are done; redraws unless it drew less than 0.1 s ago. */
    void batchEnd(int current, Map<String, Double> logs) {
        long now = clock.getAsLong();
        if (current == 1) {
            afterFirstStep = now;
        }
        if (verbose != 1 || (drawn && now - lastDraw < REDRAW_NANOS)) {
            return;
        }
        // As Keras, the first step (warm-up) is left out of the estimate once there are others.
        double perStep = current > 1
                ? (now - afterFirstStep) / 1e9 / (current - 1)
                : (now - epochStart) / 1e9 / Math.max(1, current);
        String eta = KerasFormat.eta(perStep * (target - current));
        draw(counter(current) + " [" + bar(current) + "] - ETA: " + eta + KerasFormat.logs(logs), false);
        lastDraw = now;
    }

    /**
     * Ends the epoch's display.
     *
     * @param steps the batches run (fewer than planned when training stopped early)
     * @param logs training and validation values
     * @param epochSeconds the epoch's wall time, validation included
     * @param trainSeconds the time spent in training steps
     * @param samplesPerSecond training samples per second of {@code trainSeconds}
     */
    void epochEnd(int steps, Map<String, Double> logs, double epochSeconds, double trainSeconds,
                  double samplesPerSecond) {
        String perStep = KerasFormat.perUnit(trainSeconds / Math.max(1, steps), "step");
        String tail = KerasFormat.logs(logs) + " - " + KerasFormat.throughput(samplesPerSecond);
        if (verbose == 1) {
            draw(counter(steps) + " [" + bar(steps) + "] - " + KerasFormat.seconds(epochSeconds) + " " + perStep + tail,
                    true);
        } else if (verbose == 2) {
            out.println(epochLabel + " - " + KerasFormat.seconds(epochSeconds) + " - " + perStep + tail);
            out.flush();
        }
    }

    /** Ends a half-drawn line, so that what is printed next (an exception) starts on a line of its own. */
    void abort() {
        if (verbose == 1 && drawn) {
            out.println();
            out.flush();
            drawn = false;
        }
    }

    private void draw(String line, boolean last) {
        StringBuilder s = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < drawnWidth; i++) {
            s.append(' ');   // wipe what a longer previous line left
        }
        drawnWidth = line.length();
        drawn = !last;
        out.print(s);
        if (last) {
            out.println();
        }
        out.flush();
    }

    private String counter(int current) {
        int digits = String.valueOf(target).length();
        return String.format("%" + digits + "d/%d", current, target);
    }

    private String bar(int current) {
        int progress = (int) ((long) WIDTH * current / Math.max(1, target));
        StringBuilder s = new StringBuilder(WIDTH);
        if (progress > 0) {
            s.append("=".repeat(progress - 1)).append(current < target ? '>' : '=');
        }
        return s.append(".".repeat(WIDTH - progress)).toString();
    }
}
