package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Digits;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Fit;
import dev.kiln.samples.digits.DigitsMlpModel;
import dev.kiln.samples.fashion.FashionMlpModel;
import dev.kiln.samples.first.FirstNetworkModel;
import dev.kiln.runtime.io.Checkpoint;
import dev.kiln.runtime.io.CheckpointFile;
import dev.kiln.runtime.io.CheckpointFileException;
import dev.kiln.runtime.io.LoadOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Saving and loading as a user does it: resuming training exactly, refusing a file of another model, atomic writes. */
class SaveLoadTest {
    static final Fit FIT = Fit.epochs(3).batchSize(32).seed(11).verbose(0);

    @TempDir
    Path dir;

    @Test
    void twoEpochsSavedLoadedAndOneMoreEqualThreeStraight() {
        TrainTest data = Digits.trainTestSplit(0.2, 7);
        DigitsMlpModel straight = DigitsMlpModel.create(5);
        straight.compile(new Adam(3e-3));
        straight.fit(data.train(), FIT);

        DigitsMlpModel first = DigitsMlpModel.create(5);
        first.compile(new Adam(3e-3));
        first.fit(data.train(), Fit.epochs(2).batchSize(32).seed(11).verbose(0));
        Path file = dir.resolve("digits.kiln");
        first.save(file);
        DigitsMlpModel resumed = DigitsMlpModel.load(file);
        resumed.compile(new Adam(3e-3)); // configured as the saved one: its moments and step count are restored
        resumed.fit(data.train(), FIT.initialEpoch(2)); // epoch 2 shuffles as it did in the straight run

        assertEquals(straight.optimizer().iterations(), resumed.optimizer().iterations());
        Map<String, INDArray> expected = straight.getWeights();
        Map<String, INDArray> actual = resumed.getWeights();
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            double error = relativeError(expected.get(name), actual.get(name));
            assertTrue(error <= 1e-6, () -> name + " differs by " + error + " (relative)");
        }
    }

    @Test
    void resumingWithAnotherOptimizerStartsItFreshAndEndsElsewhere() {
        // The control for the test above: without the saved Adam state the third epoch ends somewhere else.
        TrainTest data = Digits.trainTestSplit(0.2, 7);
        DigitsMlpModel straight = DigitsMlpModel.create(5);
        straight.compile(new Adam(3e-3));
        straight.fit(data.train(), FIT);
        DigitsMlpModel first = DigitsMlpModel.create(5);
        first.compile(new Adam(3e-3));
        first.fit(data.train(), Fit.epochs(2).batchSize(32).seed(11).verbose(0));
        Path file = dir.resolve("digits.kiln");
        first.save(file);
        DigitsMlpModel resumed = DigitsMlpModel.load(file);
        resumed.compile(new Adam(3e-3).beta1(0.8)); // another configuration: fresh moments
        resumed.fit(data.train(), FIT.initialEpoch(2));
        assertTrue(relativeError(straight.getWeights().get("hidden/kernel"), resumed.getWeights().get("hidden/kernel"))
                > 1e-4);
    }

    @Test
    void loadingAnotherModelsFileSaysWhichModelItHolds() {
        Path file = dir.resolve("first.kiln");
        FirstNetworkModel.create(1).save(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DigitsMlpModel.load(file));
        assertEquals(file + " holds a dev.kiln.samples.first.FirstNetwork, not a dev.kiln.samples.digits.DigitsMlp;"
                + " load it with dev.kiln.samples.first.FirstNetworkModel.load", e.getMessage());
    }

    @Test
    void aSaveInterruptedMidwayLeavesThePreviousFileAsItWas() throws Exception {
        // An interrupted thread's file channel closes at its first operation, the lock the save takes on its new
        // temporary file: the save fails after creating it. (CheckpointFileTest fails a write after some bytes, and
        // KilledSaveTest kills saves anywhere.)
        Path file = dir.resolve("fashion.kiln");
        FashionMlpModel.create(1).save(file);
        byte[] before = Files.readAllBytes(file);
        FashionMlpModel other = FashionMlpModel.create(2);
        UncheckedIOException e;
        Thread.currentThread().interrupt();
        try {
            e = assertThrows(UncheckedIOException.class, () -> other.save(file));
        } finally {
            Thread.interrupted(); // clear the flag for the tests that follow
        }
        assertInstanceOf(ClosedByInterruptException.class, e.getCause());
        assertEquals("could not save FashionMlp to " + file + ": ClosedByInterruptException", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        assertEquals(FashionMlpModel.create(1).getWeights().get("hidden1/bias"),
                FashionMlpModel.load(file).getWeights().get("hidden1/bias"));
    }

    @Test
    void savingIntoAFileAsIfItWereADirectoryFailsAndChangesNothing() throws Exception {
        Path file = dir.resolve("digits.kiln");
        DigitsMlpModel model = DigitsMlpModel.create(1);
        model.save(file);
        byte[] before = Files.readAllBytes(file);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> model.save(file.resolve("x.kiln")));
        assertTrue(e.getMessage().contains("no such directory to save x.kiln in"), e::getMessage);
        assertArrayEquals(before, Files.readAllBytes(file));
        assertFalse(Files.exists(file.resolveSibling("x.kiln")));
    }

    /** A compiled, saved DigitsMlp as it is in its file, to be edited and written back with a valid checksum. */
    private Checkpoint savedDigits(Path file) throws IOException {
        DigitsMlpModel model = DigitsMlpModel.create(3);
        model.compile(new Adam(1e-3));
        model.save(file);
        return CheckpointFile.read(file);
    }

    private static Checkpoint with(Checkpoint c, Map<String, INDArray> weights, Map<String, INDArray> state,
            Map<String, String> metadata) {
        return new Checkpoint(c.modelClass(), c.architectureHash(), weights, c.optimizerConfig(), state, metadata);
    }

    private static String loadFailure(Path file) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> DigitsMlpModel.load(file));
        assertInstanceOf(CheckpointFileException.class, e.getCause());
        return e.getMessage();
    }

    @Test
    void aBadDataTypeInTheMetadataIsNamedWithTheFile() throws IOException {
        Path file = dir.resolve("digits.kiln");
        Checkpoint c = savedDigits(file);
        Map<String, String> metadata = new LinkedHashMap<>(c.metadata());
        metadata.put("dtype", "garbage");
        CheckpointFile.write(file, with(c, c.weights(), c.optimizerState(), metadata));
        assertEquals(file + " gives the model's data type (metadata 'dtype') as 'garbage'; a Kiln model is FLOAT or"
                + " DOUBLE", loadFailure(file));
    }

    @Test
    void aMissingWeightIsNamedWithTheFile() throws IOException {
        Path file = dir.resolve("digits.kiln");
        Checkpoint c = savedDigits(file);
        Map<String, INDArray> weights = new LinkedHashMap<>(c.weights());
        weights.remove("digit/bias");
        CheckpointFile.write(file, with(c, weights, c.optimizerState(), c.metadata()));
        assertEquals(file + " has no weight 'digit/bias' (shape [10]), which DigitsMlp needs; the file holds"
                + " [hidden/kernel, hidden/bias, digit/kernel]", loadFailure(file));
    }

    @Test
    void aMisshapenOrExtraWeightIsNamedWithTheFile() throws IOException {
        Path file = dir.resolve("digits.kiln");
        Checkpoint c = savedDigits(file);
        Map<String, INDArray> weights = new LinkedHashMap<>(c.weights());
        weights.put("digit/bias", Nd4j.zeros(DataType.FLOAT, 11));
        CheckpointFile.write(file, with(c, weights, c.optimizerState(), c.metadata()));
        assertEquals(file + " holds weight 'digit/bias' in shape [11], but DigitsMlp needs [10]", loadFailure(file));
        weights.put("digit/bias", Nd4j.zeros(DataType.FLOAT, 10));
        weights.put("digit/gamma", Nd4j.zeros(DataType.FLOAT, 10));
        CheckpointFile.write(file, with(c, weights, c.optimizerState(), c.metadata()));
        assertTrue(loadFailure(file).startsWith(file + " holds weight 'digit/gamma', which DigitsMlp does not have"));
    }

    @Test
    void malformedOptimizerStateIsRefusedAtLoadNotAtCompile() throws IOException {
        Path file = dir.resolve("digits.kiln");
        Checkpoint c = savedDigits(file);
        Map<String, INDArray> state = new LinkedHashMap<>(c.optimizerState());
        state.put("momentum", Nd4j.zeros(DataType.FLOAT, 7));
        CheckpointFile.write(file, with(c, c.weights(), state, c.metadata()));
        String message = loadFailure(file);
        assertTrue(message.startsWith(file + " holds optimizer state 'momentum' as FLOAT of shape [7]; a slot of Adam("),
                message);

        state = new LinkedHashMap<>(c.optimizerState());
        state.remove("iterations");
        CheckpointFile.write(file, with(c, c.weights(), state, c.metadata()));
        assertTrue(loadFailure(file).startsWith(file + " holds no 'iterations' in its optimizer state"));
    }

    @Test
    void optimizerStateWithTheRightSizesButOtherSlotsNamesTheFileAtCompile() throws IOException {
        Path file = dir.resolve("digits.kiln");
        Checkpoint c = savedDigits(file);
        Map<String, INDArray> state = new LinkedHashMap<>(c.optimizerState());
        state.put("velocityy", state.remove("velocity"));
        CheckpointFile.write(file, with(c, c.weights(), state, c.metadata()));
        DigitsMlpModel model = DigitsMlpModel.load(file); // the slots' names are the optimizer's to know
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.compile(new Adam(1e-3)));
        assertTrue(e.getMessage().startsWith("the optimizer state saved in " + file + " does not fit Adam("),
                e::getMessage);
    }

    @Test
    void nonFiniteWeightsAreRefusedUnlessAllowed() throws IOException {
        Path file = dir.resolve("digits.kiln");
        Checkpoint c = savedDigits(file);
        Map<String, INDArray> weights = new LinkedHashMap<>(c.weights());
        INDArray bias = weights.get("hidden/bias").dup();
        bias.putScalar(3, Float.NaN);
        bias.putScalar(5, Float.POSITIVE_INFINITY);
        weights.put("hidden/bias", bias);
        CheckpointFile.write(file, with(c, weights, c.optimizerState(), c.metadata()));
        assertEquals(file + " holds 2 non-finite value(s) in weight 'hidden/bias' (the first, NaN, at flat index 3):"
                + " the training that saved it diverged. Load it with LoadOption.ALLOW_NON_FINITE to inspect it"
                + " anyway", loadFailure(file));
        DigitsMlpModel loaded = DigitsMlpModel.load(file, LoadOption.ALLOW_NON_FINITE);
        assertTrue(Double.isNaN(loaded.getWeights().get("hidden/bias").getDouble(3)));
    }

    @Test
    void aDirectoryIsRefusedWithItsPath() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("digits.kiln"));
        assertEquals(directory + " is a directory, not a Kiln model file", loadFailure(directory));
    }

    /** The largest difference relative to the largest weight. */
    static double relativeError(INDArray expected, INDArray actual) {
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-12);
        return expected.sub(actual).amaxNumber().doubleValue() / scale;
    }
}
