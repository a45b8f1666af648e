package dev.kiln.runtime.optim;

/**
 * Keras's {@code ExponentialDecay}: {@code initial_learning_rate * decay_rate ^ (step / decay_steps)}, where the
 * exponent is floored to an integer when {@code staircase} is set.
 *
 * @param initialLearningRate the rate of the first step, > 0
 * @param decaySteps          steps over which the rate is multiplied by {@code decayRate} once, > 0
 * @param decayRate           the factor per {@code decaySteps} steps, > 0
 * @param staircase           decay in whole steps of {@code decaySteps} (Keras's default: false)
 */
public record ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
        implements LearningRateSchedule {

    public ExponentialDecay {
        Args.positive("ExponentialDecay", "initialLearningRate", initialLearningRate);
        Args.positive("ExponentialDecay", "decaySteps", decaySteps);
        Args.positive("ExponentialDecay", "decayRate", decayRate);
    }

    /** A smooth decay ({@code staircase = false}, Keras's default). */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    @Override
    public double at(long iteration) {
        double p = (double) iteration / decaySteps;
        return initialLearningRate * Math.pow(decayRate, staircase ? Math.floor(p) : p);
    }

    @Override
    public String config() {
        return new ConfigText("ExponentialDecay").add("initial_learning_rate", initialLearningRate)
                .add("decay_steps", decaySteps).add("decay_rate", decayRate).add("staircase", staircase).toString();
    }
}
