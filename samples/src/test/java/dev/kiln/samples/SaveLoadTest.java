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
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

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
        // FashionMlp's 669,706 weights (2.7 MB) take many writes; an interrupted thread's file channel closes at the
        // first of them, after the header and the first weights have been encoded.
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

    /** The largest difference relative to the largest weight. */
    static double relativeError(INDArray expected, INDArray actual) {
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-12);
        return expected.sub(actual).amaxNumber().doubleValue() / scale;
    }
}
