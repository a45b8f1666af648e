package dev.kiln.samples.gan;

import dev.kiln.runtime.Tape;
import dev.kiln.runtime.data.Digits;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Fit;
import dev.kiln.runtime.train.History;
import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import dev.kiln.samples.digits.DigitsMlpModel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A GAN on the embedded 8x8 digits, written as a Keras user writes one with {@code GradientTape}: each step trains the
 * critic on real and generated digits ({@code trainOnBatch}), then the generator through the critic, whose weights stay
 * still in that step (its gradients are computed and dropped): a {@link Tape} of each model, the critic's loss on fakes
 * labelled real, its input gradient fed to the generator's backward pass, and {@code applyGradients} on the generator.
 *
 * <p>How well it learned is judged on 1,000 generated images: the Fréchet distance between their pixels and the
 * held-out real digits' (means and covariances, as FID does with a network's features; {@link Frechet}), against the
 * untrained generator's and the real training digits' own; and the digits classifier ({@link DigitsMlpModel}, trained
 * on the real training digits) says how many digit classes they spread over (a GAN that collapses draws one).
 */
public final class GanSample {
    public static final int EPOCHS = 120;
    public static final double LEARNING_RATE = 2e-4;
    /** One-sided label smoothing: the critic learns real digits as 0.9, which keeps it from winning outright. */
    public static final double REAL_LABEL = 0.9;
    public static final int BATCH_SIZE = 64;
    public static final int NOISE = 16;
    static final int JUDGED = 1000;

    private GanSample() {
    }

    public static Result run(Options options) {
        TrainTest data = Digits.trainTestSplit(0.2, options.seed());
        INDArray real = data.train().inputs().get(0);
        SplittableRandom random = new SplittableRandom(options.seed());

        DigitGeneratorModel generator = DigitGeneratorModel.create(options.seed());
        DigitCriticModel critic = DigitCriticModel.create(options.seed() + 1);
        generator.compile(new Adam(LEARNING_RATE).beta1(0.5)); // DCGAN's Adam settings
        critic.compile(new Adam(LEARNING_RATE).beta1(0.5));
        INDArray heldOut = data.test().inputs().get(0);
        DigitsMlpModel classifier = classifier(data, options);
        Judgement untrained = judge(classifier, generator, heldOut, new SplittableRandom(1));

        int epochs = options.epochs() > 0 ? options.epochs() : EPOCHS;
        int batch = options.batchSize() > 0 ? options.batchSize() : BATCH_SIZE;
        int n = (int) real.size(0);
        INDArray ones = Nd4j.ones(DataType.FLOAT, batch, 1);
        INDArray labels = Nd4j.vstack(Nd4j.ones(DataType.FLOAT, batch, 1).muli(REAL_LABEL),
                Nd4j.zeros(DataType.FLOAT, batch, 1));
        History history = new History();
        for (int epoch = 0; epoch < epochs; epoch++) {
            long start = System.nanoTime();
            double criticLoss = 0;
            double generatorLoss = 0;
            int steps = n / batch;
            int[] order = permutation(n, random);
            for (int step = 0; step < steps; step++) {
                INDArray realBatch = rows(real, order, step * batch, batch);
                INDArray fake = generator.predict(noise(random, batch));
                criticLoss += critic.trainOnBatch(Nd4j.vstack(realBatch, fake), labels);

                Tape g = generator.tape(Map.of("noise", noise(random, batch)), true);
                Tape d = critic.tape(Map.of("image", g.outputs().get("image")), true);
                Tape.Gradients fooled = d.backwardFromLoss(Map.of("real", ones));
                generator.applyGradients(g.backward(Map.of("image", fooled.inputs().get("image"))).weights());
                generatorLoss += fooled.loss();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("d_loss", criticLoss / steps);
            logs.put("g_loss", generatorLoss / steps);
            history.append(logs, seconds, steps * batch / seconds);
            if (!options.quiet() && (epoch + 1) % 10 == 0) {
                options.out().printf(Locale.ROOT, "Epoch %d/%d - d_loss: %.4f - g_loss: %.4f - %.1f s%n", epoch + 1,
                        epochs, logs.get("d_loss"), logs.get("g_loss"), seconds);
            }
        }

        Judgement j = judge(classifier, generator, heldOut, new SplittableRandom(2));
        Map<String, Double> test = new LinkedHashMap<>();
        test.put("frechet", j.frechet());
        test.put("untrained_frechet", untrained.frechet());
        test.put("train_frechet", Frechet.distance(heldOut, real));
        test.put("confident", j.confident());
        test.put("classes", (double) j.classes());
        test.put("untrained_confident", untrained.confident());
        test.put("d_loss", history.last("d_loss"));
        if (!options.quiet()) {
            options.out().println(sketch(generator.predict(noise(new SplittableRandom(3), 6))));
        }
        return new Result("gan", generator, history, test);
    }

    /**
     * Of {@link #JUDGED} generated digits: the share labelled with confidence >= 0.9, the classes with >= 2%, and the
     * Fréchet distance of their pixels to the held-out real digits'.
     */
    record Judgement(double confident, int classes, double frechet) {
    }

    static Judgement judge(DigitsMlpModel classifier, DigitGeneratorModel generator, INDArray real,
            SplittableRandom random) {
        INDArray images = generator.predict(noise(random, JUDGED));
        INDArray p = classifier.predict(images);
        INDArray best = p.max(1);
        INDArray label = p.argMax(1);
        int confident = 0;
        int[] perClass = new int[Digits.CLASSES];
        for (int i = 0; i < JUDGED; i++) {
            perClass[label.getInt(i)]++;
            confident += best.getDouble(i) >= 0.9 ? 1 : 0;
        }
        int classes = 0;
        for (int c : perClass) {
            classes += c >= JUDGED / 50 ? 1 : 0;
        }
        return new Judgement(confident / (double) JUDGED, classes, Frechet.distance(real, images));
    }

    /** The digits sample's classifier, trained quietly on the same real training digits. */
    private static DigitsMlpModel classifier(TrainTest data, Options options) {
        DigitsMlpModel m = DigitsMlpModel.create(options.seed());
        m.compile(new Adam(3e-3));
        m.fit(data.train(), Fit.epochs(50).batchSize(32).seed(options.seed()).verbose(0));
        return m;
    }

    static INDArray noise(SplittableRandom random, int n) {
        float[] z = new float[n * NOISE];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) gaussian(random);
        }
        return Nd4j.create(z, new long[] {n, NOISE}, 'c');
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static INDArray rows(INDArray x, int[] order, int from, int count) {
        long[] picked = new long[count];
        for (int i = 0; i < count; i++) {
            picked[i] = order[from + i];
        }
        return x.getRows(java.util.Arrays.stream(picked).mapToInt(v -> (int) v).toArray());
    }

    /** Generated digits side by side in characters, darkest pixels as '#'. */
    static String sketch(INDArray images) {
        StringBuilder sb = new StringBuilder();
        String shades = " .:+#";
        for (int row = 0; row < 8; row++) {
            for (int i = 0; i < images.size(0); i++) {
                for (int col = 0; col < 8; col++) {
                    double v = images.getDouble(i, row * 8 + col);
                    sb.append(shades.charAt((int) Math.min(4, Math.floor(v * 5))));
                }
                sb.append("   ");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
