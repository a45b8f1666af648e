package dev.kiln.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One real local Spark for all of the module's tests (starting one takes seconds): {@code local[2,2]}, two executor
 * threads and a second attempt for a failed task, as a cluster's retry.
 */
final class SparkTesting {

    private static SparkSession session;

    private SparkTesting() {
    }

    static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,2]")
                    .appName("kiln-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }

    static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(spark().sparkContext());
    }

    /** A float array column, nullable. */
    static StructField arrayColumn(String name) {
        return DataTypes.createStructField(name, DataTypes.createArrayType(DataTypes.DoubleType, true), true);
    }

    /** Row r of an array, flattened (a primitive array: what Spark 4 takes for an array column of a Row). */
    static double[] row(INDArray a, int r) {
        INDArray flat = a.reshape('c', new long[] {a.size(0), a.length() / a.size(0)});
        return flat.getRow(r).toDoubleVector();
    }

    /** Row r of an array, flattened, as the list of Doubles that Row.getList reads. */
    static List<Double> boxed(INDArray a, int r) {
        List<Double> out = new ArrayList<>();
        for (double v : row(a, r)) {
            out.add(v);
        }
        return out;
    }

    /**
     * A Dataset of {@code columns} (each an array, one row per sample; a rank-1 array makes a number column) in
     * {@code partitions} contiguous partitions: partition p holds the p-th run of rows, as parallelize slices.
     */
    static Dataset<Row> frame(List<String> names, List<INDArray> columns, int partitions) {
        return frame(names, columns, partitions, Set.of());
    }

    /**
     * As {@link #frame(List, List, int)}, with the columns named in {@code vectors} as Spark ML vector columns: row r's
     * vector dense when r is even, sparse (its non-zero entries) when r is odd.
     */
    static Dataset<Row> frame(List<String> names, List<INDArray> columns, int partitions, Set<String> vectors) {
        List<StructField> fields = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            String name = names.get(c);
            fields.add(vectors.contains(name) ? DataTypes.createStructField(name, SQLDataTypes.VectorType(), true)
                    : columns.get(c).rank() == 1 ? DataTypes.createStructField(name, DataTypes.DoubleType, true)
                    : arrayColumn(name));
        }
        long n = columns.get(0).size(0);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Object[] values = new Object[names.size()];
            for (int c = 0; c < names.size(); c++) {
                INDArray a = columns.get(c);
                values[c] = vectors.contains(names.get(c)) ? vector(row(a, r), r % 2 == 1)
                        : a.rank() == 1 ? (Object) a.getDouble(r) : row(a, r);
            }
            rows.add(RowFactory.create(values));
        }
        return spark().createDataFrame(context().parallelize(rows, partitions), new StructType(fields.toArray(
                new StructField[0])));
    }

    /**
     * Random data for {@link TwoHeads}, drawn from {@code seed}: inputs 'a' (rows, 4) in [-0.5, 0.5) and 'b' (rows, 3) in
     * [0, 1), class ids 'kind' = (i * step) % 3, targets 'amount' (rows, 2) in [0, 1); float64.
     */
    record TwoHeadsData(INDArray a, INDArray b, INDArray kind, INDArray amount) {
        static TwoHeadsData random(long seed, int rows, int step) {
            Nd4j.getRandom().setSeed(seed);
            INDArray a = Nd4j.rand(DataType.DOUBLE, rows, 4).subi(0.5);
            INDArray b = Nd4j.rand(DataType.DOUBLE, rows, 3);
            INDArray kind = Nd4j.createFromArray(IntStream.range(0, rows).mapToDouble(i -> (i * step) % 3).toArray());
            return new TwoHeadsData(a, b, kind, Nd4j.rand(DataType.DOUBLE, rows, 2));
        }

        /** The four columns in {@code partitions} contiguous partitions, those in {@code vectors} as vectors. */
        Dataset<Row> frame(int partitions, Set<String> vectors) {
            return SparkTesting.frame(List.of("a", "b", "kind", "amount"), List.of(a, b, kind, amount), partitions,
                    vectors);
        }
    }

    /** {@code values} as a Spark ML vector: dense, or sparse holding the non-zero entries. */
    static Vector vector(double[] values, boolean sparse) {
        return sparse ? Vectors.dense(values).toSparse() : Vectors.dense(values);
    }
}
