package dev.kiln.runtime.data;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;

/**
 * The UCI optical handwritten digits, embedded in Kiln (CC BY 4.0; see {@code digits-LICENSE.rst} beside the data):
 * 1,797 images of 8x8 pixels, 10 classes. The default data set for examples: a model trains on it in seconds.
 */
public final class Digits {
    /** Pixels per image (8x8). */
    public static final int FEATURES = 64;
    /** Digit classes, 0..9. */
    public static final int CLASSES = 10;

    private static final String RESOURCE = "digits.csv.gz";
    private static final float MAX_PIXEL = 16;

    private Digits() {
    }

    /** All 1,797 samples: pixels as float32 scaled from 0..16 to [0, 1], shape (1797, 64); class ids, shape (1797). */
    public static Dataset load() {
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from Kiln's runtime jar (next to "
                        + Digits.class.getName() + ")");
            }
            InputStream text = Sources.decompressed(new BufferedInputStream(in));
            Dataset raw = Csv.read(new InputStreamReader(text, UTF_8), RESOURCE, CsvOptions.defaults());
            return Dataset.of(raw.inputs().get(0).divi(MAX_PIXEL), raw.targets().get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded " + RESOURCE, e);
        }
    }

    /** The samples shuffled with {@code seed} and cut into train and test, e.g. {@code trainTestSplit(0.2, 42)}. */
    public static TrainTest trainTestSplit(double testFraction, long seed) {
        return load().trainTestSplit(testFraction, seed);
    }
}
