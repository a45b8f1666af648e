package dev.kiln.samples.gan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import org.junit.jupiter.api.Test;

/**
 * The GAN learns: its digits come closer to the held-out real ones (Fréchet distance over pixels) than the untrained
 * generator's by a wide margin, spread over several digit classes (no collapse to one), with neither player winning.
 */
class GanSampleTest {
    @Test
    void theGeneratorDrawsDigitsTheClassifierRecognises() {
        Result r = GanSample.run(Options.defaults().withQuiet(true));
        System.out.printf("gan: Fréchet distance to held-out digits %.3f (untrained generator %.3f, real training"
                + " digits %.3f); %d classes with >= 2%% of 1,000 generated digits; d_loss %.3f%n", r.get("frechet"),
                r.get("untrained_frechet"), r.get("train_frechet"), (int) r.get("classes"), r.get("d_loss"));
        assertTrue(r.get("frechet") < 0.7 * r.get("untrained_frechet"), () -> "Fréchet distance " + r.get("frechet")
                + ", untrained " + r.get("untrained_frechet"));
        assertTrue(r.get("classes") >= 4, () -> "collapsed: classes " + r.get("classes"));
        assertTrue(r.get("d_loss") > 0.3 && r.get("d_loss") < 1.3, () -> "the critic won or gave up: d_loss "
                + r.get("d_loss"));
    }
}
