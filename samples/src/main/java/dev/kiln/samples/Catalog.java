package dev.kiln.samples;

import dev.kiln.samples.brackets.BracketsSample;
import dev.kiln.samples.digits.DigitsSample;
import dev.kiln.samples.fashion.FashionCnnSample;
import dev.kiln.samples.fashion.FashionResNetSample;
import dev.kiln.samples.fashion.FashionSample;
import dev.kiln.samples.first.FirstSample;
import dev.kiln.samples.gan.GanSample;
import dev.kiln.samples.news.NewsSample;
import dev.kiln.samples.residual.ResidualSample;
import dev.kiln.samples.reverse.ReverseSample;
import dev.kiln.samples.shakespeare.ShakespeareSample;
import dev.kiln.samples.siamese.SiameseSample;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The samples {@link Main} runs, by command-line name. */
public final class Catalog {
    /** One runnable sample. */
    public record Sample(String name, String description, Function<Options, Result> runner) {
        public Result run(Options options) {
            return runner.apply(options);
        }
    }

    public static final List<Sample> SAMPLES = List.of(
            new Sample("brackets", "a bidirectional LSTM over masked token ids: are a string's brackets balanced?",
                    BracketsSample::run),
            new Sample("digits", "MLP on the embedded 8x8 digits, tested on a held-out fifth",
                    DigitsSample::run),
            new Sample("fashion", "MLP 784-512-512-10 on Fashion-MNIST (--data DIR, or Debian's)", FashionSample::run),
            new Sample("fashion-cnn", "two Conv2D and MaxPooling2D blocks on Fashion-MNIST (--data DIR, or Debian's)",
                    FashionCnnSample::run),
            new Sample("fashion-resnet", "a residual CNN with BatchNormalization and GlobalAveragePooling2D on"
                    + " Fashion-MNIST (--data DIR, or Debian's)", FashionResNetSample::run),
            new Sample("first", "the seed example, Dense(32), fitted to a linear map by MSE",
                    FirstSample::run),
            new Sample("gan", "a GAN drawing 8x8 digits, trained in a custom loop with tapes", GanSample::run),
            new Sample("news", "Keras's news-headline model: 2 inputs, 2 weighted outputs",
                    NewsSample::run),
            new Sample("residual", "a residual block (Dense, Dense, Add) on three spirals",
                    ResidualSample::run),
            new Sample("reverse", "an LSTM encoder hands its final states to an LSTM decoder, which reverses"
                    + " sequences of ids", ReverseSample::run),
            new Sample("shakespeare", "a character-level LSTM language model on Shakespeare that writes after each"
                    + " epoch", ShakespeareSample::run),
            new Sample("siamese", "a shared encoder on pairs of digits: same digit or not?", SiameseSample::run));

    private Catalog() {
    }

    public static Optional<Sample> find(String name) {
        return SAMPLES.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
