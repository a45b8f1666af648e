package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.optim.SGD;
import dev.kiln.runtime.train.Fit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Spark ML vector columns (VectorUDT, dense and sparse) feed a model as array columns do: the same scores, the same
 * training, the same checks.
 */
class VectorColumnsTest {

    private static final int ROWS = 40;
    private static final SparkTesting.TwoHeadsData DATA = SparkTesting.TwoHeadsData.random(17, ROWS, 1);

    static {
        DATA.a().get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3)).assign(0); // sparse rows store two of four
    }

    private static Dataset<Row> frame(Set<String> vectors) {
        return DATA.frame(2, vectors);
    }

    @Test
    void scoringVectorColumnsEqualsScoringArrays() {
        TwoHeadsModel model = TwoHeadsModel.create(4, DataType.DOUBLE);
        List<Row> fromArrays = KilnSpark.predict(model, frame(Set.of()).drop("kind", "amount"), 8, "").collectAsList();
        List<Row> fromVectors = KilnSpark.predict(model, frame(Set.of("a", "b")).drop("kind", "amount"), 8, "")
                .collectAsList();
        assertEquals(ROWS, fromVectors.size());
        for (int r = 0; r < ROWS; r++) {
            assertEquals(fromArrays.get(r).getList(2), fromVectors.get(r).getList(2), "kind, row " + r);
            assertEquals(fromArrays.get(r).getList(3), fromVectors.get(r).getList(3), "amount, row " + r);
        }
        assertTrue(fromVectors.get(1).get(0) instanceof org.apache.spark.ml.linalg.SparseVector, "odd rows are sparse");
    }

    @Test
    void trainingOnVectorColumnsEqualsTrainingOnArrays() {
        double[][] weights = new double[2][];
        int i = 0;
        for (Set<String> vectors : List.of(Set.<String>of(), Set.of("a", "amount"))) {
            TwoHeadsModel model = TwoHeadsModel.create(4, DataType.DOUBLE);
            model.compile(new SGD(0.1).momentum(0.9));
            KilnSpark.fit(model, frame(vectors), SparkFit.synchronousGradients(Fit.epochs(2).batchSize(8).seed(1)
                    .verbose(0)));
            weights[i++] = model.parameterBuffer().toDoubleVector();
        }
        assertArrayEquals(weights[0], weights[1]);
    }

    /** Four good rows of vectors in two partitions, row {@code bad}'s 'a' replaced by {@code a}. */
    private static Dataset<Row> withBadVector(int bad, org.apache.spark.ml.linalg.Vector a) {
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField("a", SQLDataTypes.VectorType(), true), SparkTesting.arrayColumn("b")});
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            rows.add(RowFactory.create(r == bad ? a : Vectors.dense(1, 0, 0, 2), new double[] {1, 2, 3}));
        }
        return SparkTesting.spark().createDataFrame(SparkTesting.context().parallelize(rows, 2), schema);
    }

    private static String scoringFails(Dataset<Row> data) {
        return assertThrows(IllegalArgumentException.class, () -> KilnSpark.predict(TwoHeadsModel.create(1), data))
                .getMessage();
    }

    @Test
    void aVectorOfTheWrongSizeIsNamedByColumnAndRow() {
        assertEquals("row 3 (row 1 of partition 1): column 'a' holds a vector of size 3, but the input 'a' takes an"
                + " array of 4 numbers (the input's shape (4))", scoringFails(withBadVector(3, Vectors.dense(1, 2, 3))));
        assertEquals("row 0 (row 0 of partition 0): column 'a' holds a vector of size 5, but the input 'a' takes an"
                + " array of 4 numbers (the input's shape (4))", scoringFails(withBadVector(0,
                        Vectors.sparse(5, new int[] {4}, new double[] {1}))));
    }

    @Test
    void aNaNInASparseVectorIsNamedByItsIndex() {
        assertEquals("row 2 (row 0 of partition 1): column 'a' has NaN at position 3; Kiln trains and predicts on"
                + " finite values only", scoringFails(withBadVector(2,
                        Vectors.sparse(4, new int[] {0, 3}, new double[] {1, Double.NaN}))));
    }

    @Test
    void vectorsOfTheRddBasedApiAreNamedWithTheConversion() {
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField("a", new org.apache.spark.mllib.linalg.VectorUDT(), true),
                SparkTesting.arrayColumn("b")});
        List<Row> rows = List.of(RowFactory.create(org.apache.spark.mllib.linalg.Vectors.dense(1, 2, 3, 4),
                new double[] {1, 2, 3}));
        Dataset<Row> data = SparkTesting.spark().createDataFrame(rows, schema);
        assertEquals("column 'a' holds vectors of the RDD-based API (org.apache.spark.mllib.linalg), but the model's"
                + " input 'a' takes an array of 4 numbers (the input's shape (4)): an array of numbers or a Spark ML"
                + " vector (org.apache.spark.ml.linalg); convert the column with"
                + " MLUtils.convertVectorColumnsToML(data, \"a\")", scoringFails(data));
    }
}
