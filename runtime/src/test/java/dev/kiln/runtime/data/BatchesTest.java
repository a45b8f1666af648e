package dev.kiln.runtime.data;

import static dev.kiln.runtime.data.DatasetTest.counting;
import static dev.kiln.runtime.data.DatasetTest.named;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BatchesTest {

    /** 10 samples of 3 features (sample i: 3i, 3i+1, 3i+2), targets i. */
    private static Dataset.Aligned ten() {
        return Dataset.of(counting(10, 3), Nd4j.arange(10).castTo(DataType.FLOAT))
                .aligned(List.of("in"), List.of("out"));
    }

    /** The target ids of every batch of one epoch, checking that inputs match targets row by row. */
    private static List<Integer> epoch(Batches batches, int epoch) {
        batches.startEpoch(epoch);
        List<Integer> ids = new ArrayList<>();
        while (batches.next()) {
            INDArray x = batches.inputs()[0];
            float[] y = batches.targets()[0].toFloatVector();
            assertEquals(batches.size(), y.length);
            for (int i = 0; i < y.length; i++) {
                assertEquals(3 * y[i], x.getFloat(i, 0), "row " + i + " of batch " + batches.index());
                ids.add((int) y[i]);
            }
        }
        return ids;
    }

    private static int[] sorted(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    @Test
    void sizesAndCount() {
        Batches batches = ten().batches(4, false, 0);
        assertEquals(3, batches.count());
        assertEquals(4, batches.batchSize());
        int[] sizes = new int[3];
        int[] indexes = new int[3];
        for (int i = 0; batches.next(); i++) {
            sizes[i] = batches.size();
            indexes[i] = batches.index();
            assertArrayEquals(new long[] {sizes[i], 3}, batches.inputs()[0].shape());
            assertArrayEquals(new long[] {sizes[i]}, batches.targets()[0].shape());
        }
        assertArrayEquals(new int[] {4, 4, 2}, sizes);
        assertArrayEquals(new int[] {0, 1, 2}, indexes);
        assertFalse(batches.next());
    }

    @Test
    void inOrderWithoutShuffle() {
        Batches batches = ten().batches(4, false, 0);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), epoch(batches, 0));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), epoch(batches, 1));
    }

    @Test
    void buffersAreAllocatedOnceAndTheLastBatchIsAViewOfThem() {
        Batches batches = ten().batches(4, true, 1);
        batches.next();
        INDArray input = batches.inputs()[0];
        INDArray target = batches.targets()[0];
        batches.next();
        assertSame(input, batches.inputs()[0]);
        assertSame(target, batches.targets()[0]);
        batches.next();
        INDArray last = batches.inputs()[0];
        assertTrue(last.isView());
        assertEquals(input.data().addressPointer().address(), last.data().addressPointer().address());
        assertEquals(input.getRow(0), last.getRow(0));
        batches.startEpoch(1);
        batches.next();
        assertSame(input, batches.inputs()[0]);
        batches.next();
        batches.next();
        assertSame(last, batches.inputs()[0]);
    }

    @Test
    void shuffleIsDeterministicPerSeedAndEpoch() {
        List<Integer> first = epoch(ten().batches(3, true, 42), 0);
        assertEquals(first, epoch(ten().batches(3, true, 42), 0));
        Batches batches = ten().batches(3, true, 42);
        List<Integer> epoch1 = epoch(batches, 1);
        assertNotEquals(first, epoch1);
        assertEquals(first, epoch(batches, 0), "an epoch's order depends on (seed, epoch) only");
        assertNotEquals(first, epoch(ten().batches(3, true, 43), 0));
    }

    @Test
    void everySampleExactlyOncePerEpoch() {
        Dataset.Aligned data = Dataset.of(counting(1000, 3), Nd4j.arange(1000).castTo(DataType.FLOAT))
                .aligned(List.of("in"), List.of("out"));
        Batches batches = data.batches(64, true, 5);
        int[] expected = java.util.stream.IntStream.range(0, 1000).toArray();
        for (int e = 0; e < 3; e++) {
            List<Integer> ids = epoch(batches, e);
            assertNotEquals(Arrays.stream(expected).boxed().toList(), ids, "shuffled");
            assertArrayEquals(expected, sorted(ids));
        }
    }

    @Test
    void steadyStateAllocatesNoMoreThanAGeneratorPerEpoch() {
        Batches batches = Dataset.of(counting(1000, 16), Nd4j.arange(1000).castTo(DataType.FLOAT))
                .aligned(List.of("in"), List.of("out")).batches(64, true, 3);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        runEpochs(batches, 200);
        long before = threads.getCurrentThreadAllocatedBytes();
        runEpochs(batches, 200);
        long perEpoch = (threads.getCurrentThreadAllocatedBytes() - before) / 200;
        assertTrue(perEpoch <= 64, perEpoch + " bytes allocated per epoch of 16 batches");
    }

    private static void runEpochs(Batches batches, int epochs) {
        for (int epoch = 0; epoch < epochs; epoch++) {
            batches.startEpoch(epoch);
            while (batches.next()) {
                batches.inputs();
                batches.targets();
            }
        }
    }

    @Test
    void batchLargerThanTheData() {
        Batches batches = ten().batches(64, true, 0);
        assertEquals(1, batches.count());
        assertEquals(10, batches.batchSize());
        assertTrue(batches.next());
        assertEquals(10, batches.size());
        assertFalse(batches.inputs()[0].isView());
        assertFalse(batches.next());
    }

    @Test
    void gathersAnyRankAndDtypeAndViewsAndColumnMajorSources() {
        INDArray images = Nd4j.arange(6 * 2 * 2).castTo(DataType.DOUBLE).reshape(6, 2, 2);
        INDArray ids = Nd4j.createFromArray(0, 1, 2, 3, 4, 5);
        INDArray fOrder = counting(6, 3).dup('f');
        Dataset data = Dataset.of(named("img", images, "f", fOrder), named("id", ids));
        Dataset validation = data.split(0.5).validation();
        Batches batches = validation.aligned(List.of("img", "f"), List.of("id")).batches(2, true, 9);
        while (batches.next()) {
            int[] got = batches.targets()[0].toIntVector();
            for (int i = 0; i < got.length; i++) {
                assertTrue(got[i] >= 3, "validation samples only");
                assertEquals(images.get(NDArrayIndex.point(got[i])), batches.inputs()[0].get(NDArrayIndex.point(i)));
                assertEquals(fOrder.getRow(got[i]), batches.inputs()[1].getRow(i));
            }
            assertEquals(DataType.DOUBLE, batches.inputs()[0].dataType());
            assertEquals(DataType.INT, batches.targets()[0].dataType());
        }
    }

    @Test
    void predictionBatchesHaveNoTargets() {
        Batches batches = Dataset.of(counting(5, 2), counting(5, 1)).alignedInputs(List.of("in")).batches(2, false, 0);
        batches.next();
        assertEquals(0, batches.targets().length);
        assertEquals(counting(5, 2).getRow(1), batches.inputs()[0].getRow(1));
    }

    @Test
    void misuseIsExplained() {
        assertEquals("batch size must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> ten().batches(0, false, 0)).getMessage());
        Batches batches = ten().batches(5, false, 0);
        assertEquals("no current batch: call next() first",
                assertThrows(IllegalStateException.class, batches::inputs).getMessage());
        while (batches.next()) {
            batches.inputs();
        }
        assertTrue(assertThrows(IllegalStateException.class, batches::targets).getMessage()
                .contains("call startEpoch(epoch)"));
    }
}
