package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PredictTest {

    /**
     * Three partitions of 24 rows in batches of 8 are the batches of predict over the whole data set in batches of 8:
     * the scores are the same bits. (Another cut into batches may differ in the last bit of float32: a BLAS product's
     * rounding depends on how many rows it multiplies at once.)
     */
    @Test
    void scoringADatasetEqualsPredictOnOneMachineExactly() {
        TwoHeadsModel model = TwoHeadsModel.create(7);
        Nd4j.getRandom().setSeed(3);
        INDArray a = Nd4j.rand(DataType.FLOAT, 72, 4);
        INDArray b = Nd4j.rand(DataType.FLOAT, 72, 3).subi(0.5);
        Dataset<Row> frame = SparkTesting.frame(List.of("a", "b"), List.of(a, b), 3);

        List<Row> scored = KilnSpark.predict(model, frame, 8, "").collectAsList();
        Map<String, INDArray> expected = model.predict(dev.kiln.runtime.data.Dataset.ofInputs(Map.of("a", a, "b", b)),
                8);

        assertEquals(72, scored.size());
        for (int r = 0; r < 72; r++) {
            Row row = scored.get(r);
            assertArrayEquals(expected.get("kind").getRow(r).toFloatVector(), floats(row.getList(2)), "kind, row " + r);
            assertArrayEquals(expected.get("amount").getRow(r).toFloatVector(), floats(row.getList(3)),
                    "amount, row " + r);
            assertEquals(SparkTesting.boxed(a, r), row.getList(0), "the input columns are kept");
        }
    }

    @Test
    void outputColumnsAreArraysOfTheModelsPrecisionAndTakeAPrefix() {
        TwoHeadsModel model = TwoHeadsModel.create(7, DataType.DOUBLE);
        INDArray a = Nd4j.rand(DataType.DOUBLE, 5, 4);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 5, 3);
        Dataset<Row> scored = KilnSpark.predict(model, SparkTesting.frame(List.of("a", "b"), List.of(a, b), 2), 32,
                "p_");
        assertEquals("struct<a:array<double>,b:array<double>,p_kind:array<double>,p_amount:array<double>>",
                scored.schema().simpleString());
        Map<String, INDArray> expected = model.predict(Map.of("a", a, "b", b));
        List<Row> rows = scored.collectAsList();
        for (int r = 0; r < 5; r++) {
            assertEquals(SparkTesting.boxed(expected.get("amount"), r), rows.get(r).getList(3));
        }
    }

    private static float[] floats(List<Object> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (Float) values.get(i);
        }
        return f;
    }
}
