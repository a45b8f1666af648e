package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.optim.SGD;
import dev.kiln.runtime.train.Fit;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Bad data fails before any training or scoring, naming the column and the row. */
class ColumnCheckTest {

    private static final StructType SCHEMA = new StructType(new StructField[] {
            SparkTesting.arrayColumn("a"), SparkTesting.arrayColumn("b"),
            DataTypes.createStructField("kind", DataTypes.IntegerType, true), SparkTesting.arrayColumn("amount")});

    /** Six good rows in two partitions, row {@code bad} replaced by {@code replacement}. */
    private static Dataset<Row> rows(int bad, Row replacement) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            rows.add(r == bad ? replacement : RowFactory.create(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3}, r % 3,
                    new double[] {0.5, -0.5}));
        }
        return SparkTesting.spark().createDataFrame(SparkTesting.context().parallelize(rows, 2), SCHEMA);
    }

    private static String trainingFails(Dataset<Row> data) {
        TwoHeadsModel model = TwoHeadsModel.create(1);
        model.compile(new SGD(0.1));
        return assertThrows(IllegalArgumentException.class, () -> KilnSpark.fit(model, data,
                SparkFit.synchronousGradients(Fit.epochs(1).batchSize(2).verbose(0)))).getMessage();
    }

    @Test
    void aMissingColumnIsNamedWithWhatTheModelTakes() {
        String message = trainingFails(rows(-1, null).drop("b"));
        assertEquals("the data has no column 'b' for the model's input 'b', which takes an array of 3 numbers (the"
                + " input's shape (3)); its columns are [a, kind, amount]", message);
    }

    @Test
    void aColumnOfTheWrongTypeIsNamed() {
        Dataset<Row> data = rows(-1, null).withColumn("kind", org.apache.spark.sql.functions.lit("cat"));
        assertEquals("column 'kind' is string, but the model's output 'kind' takes a number or an array of 1 number"
                + " (class ids in 0..2 for SPARSE_CATEGORICAL_CROSSENTROPY): an array of numbers, a Spark ML vector or"
                + " a number (e.g. array<float>)", trainingFails(data));
    }

    @Test
    void anArrayOfTextAndAMissingColumnAreNamedWhenScoring() {
        Dataset<Row> text = rows(-1, null).drop("kind", "amount").withColumn("b",
                org.apache.spark.sql.functions.split(org.apache.spark.sql.functions.lit("1 2 3"), " "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KilnSpark.predict(TwoHeadsModel.create(1), text));
        assertEquals("column 'b' is array<string>, but the model's input 'b' takes an array of 3 numbers (the input's"
                + " shape (3)): an array of numbers or a Spark ML vector (e.g. array<float>)", e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> KilnSpark.predict(TwoHeadsModel.create(1), rows(-1, null).select("b")));
        assertEquals("the data has no column 'a' for the model's input 'a', which takes an array of 4 numbers (the"
                + " input's shape (4)); its columns are [b]", missing.getMessage());
    }

    @Test
    void aRaggedArrayIsNamedByColumnAndRow() {
        Row ragged = RowFactory.create(new double[] {1, 2, 3, 4}, new double[] {1, 2}, 0, new double[] {0, 0});
        assertEquals("row 4 (row 1 of partition 1): column 'b' has 2 values, but the input 'b' takes an array of 3"
                + " numbers (the input's shape (3))", trainingFails(rows(4, ragged)));
    }

    @Test
    void aNaNIsNamedByColumnRowAndPosition() {
        Row nan = RowFactory.create(new double[] {1, 2, Double.NaN, 4}, new double[] {1, 2, 3}, 0, new double[] {0, 0});
        assertEquals("row 1 (row 1 of partition 0): column 'a' has NaN at position 2; Kiln trains and predicts on"
                + " finite values only", trainingFails(rows(1, nan)));
    }

    @Test
    void aNullAndABadClassIdAreNamed() {
        Row missing = RowFactory.create(new double[] {1, 2, 3, 4}, null, 0, new double[] {0, 0});
        assertEquals("row 2 (row 2 of partition 0): column 'b' is null; the input 'b' takes an array of 3 numbers"
                + " (the input's shape (3))", trainingFails(rows(2, missing)));
        Row label = RowFactory.create(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3}, 3, new double[] {0, 0});
        assertEquals("row 5 (row 2 of partition 1): column 'kind' holds 3.0, which is not a class id in 0..2 (the"
                + " output 'kind' has 3 classes)", trainingFails(rows(5, label)));
    }

    @Test
    void aNullInsideAnArrayAndANaNLabelAreNamed() {
        Row hole = RowFactory.create(new double[] {1, 2, 3, 4}, new Double[] {1.0, null, 3.0}, 0, new double[] {0, 0});
        assertEquals("row 0 (row 0 of partition 0): column 'b' has null at position 1; the input 'b' takes an array of"
                + " 3 numbers (the input's shape (3))", trainingFails(rows(0, hole)));
        StructType numbers = new StructType(new StructField[] {SparkTesting.arrayColumn("a"),
                SparkTesting.arrayColumn("b"), DataTypes.createStructField("kind", DataTypes.DoubleType, true),
                SparkTesting.arrayColumn("amount")});
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            rows.add(RowFactory.create(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3}, r == 3 ? Double.NaN : 1.0,
                    new double[] {0, 0}));
        }
        assertEquals("row 3 (row 1 of partition 1): column 'kind' is NaN; Kiln trains and predicts on finite values"
                + " only", trainingFails(SparkTesting.spark().createDataFrame(SparkTesting.context().parallelize(rows,
                2), numbers)));
    }

    @Test
    void scoringChecksTheInputsButNeedsNoLabels() {
        Row nan = RowFactory.create(new double[] {1, 2, 3, 4}, new double[] {1, Double.POSITIVE_INFINITY, 3}, 0,
                new double[] {0, 0});
        Dataset<Row> data = rows(3, nan).drop("kind", "amount");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KilnSpark.predict(TwoHeadsModel.create(1), data));
        assertEquals("row 3 (row 0 of partition 1): column 'b' has Infinity at position 1; Kiln trains and predicts on"
                + " finite values only", e.getMessage());
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> KilnSpark.predict(TwoHeadsModel.create(1), rows(-1, null)));
        assertEquals("the data already has a column 'kind' for the output 'kind': drop it, or give predict a prefix"
                + " for the output columns (e.g. \"predicted_\")", taken.getMessage());
    }
}
