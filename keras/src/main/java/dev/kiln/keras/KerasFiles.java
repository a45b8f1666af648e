package dev.kiln.keras;

import dev.kiln.runtime.KilnModel;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Keras's files in and out of Kiln.
 *
 * <p>{@link #loadWeights} fills a generated model with the weights of a Keras file whose architecture matches it: a
 * Keras 3 {@code .keras} archive, a Keras 3 {@code .weights.h5} or a legacy Keras 2 / tf.keras {@code .h5} model, told
 * apart by their first bytes, never by the file's name. {@link #saveKeras} writes a {@code .keras} archive in Keras 3's
 * layout.
 *
 * <p>Files are untrusted input. Kiln runs nothing from a file: {@code Lambda} layers, serialized Python functions and
 * objects of modules other than Keras's own are refused with a message that says why; archive entries are read by known
 * name only, with sizes bounded before and while reading, and an archive that names an entry twice is refused; every
 * HDF5 dataset's shape and type are checked against the model before its data is read.
 */
public final class KerasFiles {
    private KerasFiles() {
    }

    /**
     * Reads the weights of the Keras file {@code path} into {@code model}. Layers are matched by name (Kiln's node name
     * equals the Keras layer's name, or that name made a Java identifier), or else in order when the file's layers have
     * the model's classes in the model's order; a {@code .weights.h5} holds no names, so its layers are matched by
     * class in the order Keras gives the model's layers (by depth from the outputs), as Keras itself does. A shared layer's weights are read once, into the node that owns
     * them; a nested model's layers match the nodes of a {@code @Nested} model, {@code outer/inner}, in every layout
     * (Keras 3 keeps them under its group's {@code layers/}, a legacy file lists them under the nested model's group,
     * trained weights first); a wrapper's weights are read from under the layers it holds. The file's layer settings
     * ({@code units}, {@code activation}, {@code return_sequences}, ..., and a wrapped layer's) must agree with the
     * model's, and every weight's shape with the model's.
     *
     * @return what was loaded, and from which layer into which node
     * @throws KerasFileException naming the file and the problem: not a Keras file, damaged, refused as unsafe, or not
     *     matching the model (the layer and both shapes); the model's weights are then unchanged
     */
    public static KerasImport loadWeights(KilnModel model, Path path) throws IOException {
        return new KerasImporter(model, path).load();
    }

    /**
     * Writes {@code model} as a Keras 3 {@code .keras} archive: {@code metadata.json}, {@code config.json} (a Functional
     * model of the layers' Keras configs, a nested model a Functional layer of its own, each model's layers in Keras's
     * order) and {@code model.weights.h5} (Keras 3's class-named tree, a wrapper's weights under the layers it holds),
     * all stored uncompressed, as Keras writes them.
     *
     * @throws IllegalArgumentException for a nested model applied twice, which Kiln does not write yet (nothing is
     *     written)
     */
    public static void saveKeras(KilnModel model, Path path) throws IOException {
        new KerasExporter(model).save(path);
    }

    /**
     * Writes {@code model}'s weights as a Keras 3 {@code .weights.h5} (what Keras's {@code model.save_weights} writes
     * and {@code model.load_weights} reads): the class-named tree of {@code model.weights.h5}, without architecture.
     */
    public static void saveKerasWeights(KilnModel model, Path path) throws IOException {
        new KerasExporter(model).saveWeights(path);
    }
}
