package dev.kiln.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fashion-MNIST (Zalando; 60,000 training and 10,000 test images of 28x28 grey pixels, 10 classes of clothing), as
 * Debian's {@code dataset-fashion-mnist} package installs it under {@value #DEFAULT_DIRECTORY}. Any directory of
 * MNIST-format IDX files can be read the same way, MNIST itself included.
 *
 * <p>The directory holds {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each possibly gzipped ({@code .gz}), with
 * {@code -} or {@code .} before {@code idx}. Images are flattened to 784 float32 values scaled to [0, 1]; labels are
 * float32 class ids 0..9 of shape {@code (n)}.
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
    public static final String DEFAULT_DIRECTORY = "/usr/share/datasets/fashion-mnist";
    /** System property naming another directory; wins over {@link #DIRECTORY_ENV}. */
    public static final String DIRECTORY_PROPERTY = "kiln.fashionMnist.dir";
    /** Environment variable naming another directory. */
    public static final String DIRECTORY_ENV = "KILN_FASHION_MNIST_DIR";
    /** The classes, indexed by class id. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** What to do when {@link #load()} finds nothing where {@link #directory()} points. */
    private static final String INSTALL = "install it with `apt-get install dataset-fashion-mnist`, or name a "
            + "directory of MNIST-format files with -D" + DIRECTORY_PROPERTY + "=... or " + DIRECTORY_ENV;
    /** The same for {@link #load(Path)}, whose caller chose the directory: the property would change nothing. */
    private static final String INSTALL_OR_OTHER = "install it with `apt-get install dataset-fashion-mnist` (into "
            + DEFAULT_DIRECTORY + "), or give a directory that holds the four files";

    private FashionMnist() {
    }

    /** The directory {@link #load()} reads: the system property, else the environment variable, else the default. */
    public static Path directory() {
        String property = System.getProperty(DIRECTORY_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv(DIRECTORY_ENV);
        return Path.of(env != null && !env.isBlank() ? env : DEFAULT_DIRECTORY);
    }

    /** Whether {@link #directory()} holds all four files, so that {@link #load()} can be expected to work. */
    public static boolean isAvailable() {
        Path dir = directory();
        return Files.isDirectory(dir) && Part.ALL.stream().allMatch(part -> part.find(dir) != null);
    }

    /** The training and test sets from {@link #directory()}. */
    public static TrainTest load() throws IOException {
        return load(directory(), INSTALL);
    }

    /** The training and test sets from a directory of MNIST-format files. */
    public static TrainTest load(Path dir) throws IOException {
        return load(dir, INSTALL_OR_OTHER);
    }

    private static TrainTest load(Path dir, String hint) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such directory, so no Fashion-MNIST; " + hint);
        }
        return new TrainTest(load(dir, Part.TRAIN_IMAGES, Part.TRAIN_LABELS, hint),
                load(dir, Part.TEST_IMAGES, Part.TEST_LABELS, hint));
    }

    private static Dataset load(Path dir, Part imagesPart, Part labelsPart, String hint) throws IOException {
        Path imagesFile = imagesPart.require(dir, hint);
        Path labelsFile = labelsPart.require(dir, hint);
        INDArray images = Idx.readScaled(imagesFile);
        INDArray labels = Idx.read(labelsFile);
        if (images.rank() != 3) {
            throw new DataFileException(imagesFile + " holds labels, not images (magic 0x00000801; expected "
                    + "0x00000803)");
        }
        if (labels.rank() != 1) {
            throw new DataFileException(labelsFile + " holds images, not labels (magic 0x00000803; expected "
                    + "0x00000801)");
        }
        if (images.size(0) != labels.size(0)) {
            throw new DataFileException(imagesFile + " has " + images.size(0) + " images but " + labelsFile
                    + " has " + labels.size(0) + " labels");
        }
        return Dataset.of(images.reshape(images.size(0), images.size(1) * images.size(2)), labels);
    }

    /** One of the four files, by its MNIST name. */
    private record Part(String prefix, String suffix, String description) {
        static final Part TRAIN_IMAGES = new Part("train-images", "idx3-ubyte", "training images");
        static final Part TRAIN_LABELS = new Part("train-labels", "idx1-ubyte", "training labels");
        static final Part TEST_IMAGES = new Part("t10k-images", "idx3-ubyte", "test images");
        static final Part TEST_LABELS = new Part("t10k-labels", "idx1-ubyte", "test labels");
        static final List<Part> ALL = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

        /** The first of the accepted names present in {@code dir}, or null. */
        Path find(Path dir) {
            for (String separator : List.of("-", ".")) {
                for (String extension : List.of(".gz", "")) {
                    Path file = dir.resolve(prefix + separator + suffix + extension);
                    if (Files.isRegularFile(file)) {
                        return file;
                    }
                }
            }
            return null;
        }

        Path require(Path dir, String hint) throws NoSuchFileException {
            Path file = find(dir);
            if (file == null) {
                String name = prefix + "-" + suffix;
                throw new NoSuchFileException(dir.resolve(name).toString(), null, "no " + description + " in " + dir
                        + ": expected " + name + " or " + name + ".gz (MNIST's file names); " + hint);
            }
            return file;
        }
    }
}
