package dev.kiln.spark;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Kiln models on Apache Spark: scoring a {@code Dataset<Row>} and data-parallel training on it.
 *
 * <p>Columns are named as the model's nodes: one per {@code @Input}, holding an array of the input's size (its shape
 * flattened in row-major order) of any numeric type; for training, one per {@code @Output} that has a loss, holding an
 * array of the output's size, or for a sparse loss the class id (a number). Every column and every row is checked
 * before the work starts: a missing column or one of the wrong type fails on the driver naming the column and what the
 * model expects; a row with a wrong length, a null, a NaN or a bad class id fails naming the column and the row.
 *
 * <pre>{@code
 * Dataset<Row> scored = KilnSpark.predict(model, images);                  // adds a column per output
 * SparkRun run = KilnSpark.fit(model, train, SparkFit.synchronousGradients(Fit.epochs(5).batchSize(128)));
 * }</pre>
 */
public final class KilnSpark {

    /** The batch size of {@link #predict(KilnModel, Dataset)}, as Keras's {@code predict}. */
    public static final int PREDICT_BATCH_SIZE = 32;

    private KilnSpark() {
    }

    /** {@code data} with the model's outputs added as columns named as the outputs; batches of 32 rows. */
    public static Dataset<Row> predict(KilnModel model, Dataset<Row> data) {
        return predict(model, data, PREDICT_BATCH_SIZE, "");
    }

    /**
     * {@code data} with the model's outputs added as columns named {@code prefix + output} (arrays of the output's
     * size, float or double as the model), in batches of {@code batchSize} rows formed within each partition. The
     * weights are broadcast once; each executor thread scores with one model instance of its own, kept for later jobs.
     * The rows are checked first (one pass); the scores are computed when the returned Dataset is.
     */
    public static Dataset<Row> predict(KilnModel model, Dataset<Row> data, int batchSize, String prefix) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("predict: batchSize must be at least 1, got " + batchSize);
        }
        StructType schema = data.schema();
        Layout layout = Layout.of(model, schema, false);
        List<String> names = Arrays.asList(schema.fieldNames());
        StructType out = schema;
        boolean doubles = model.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE;
        DataType element = doubles ? DataTypes.DoubleType : DataTypes.FloatType;
        for (OutputSpec o : model.outputs()) {
            String column = prefix + o.name();
            if (names.contains(column)) {
                throw new IllegalArgumentException("the data already has a column '" + column + "' for the output '"
                        + o.name() + "': drop it, or give predict a prefix for the output columns (e.g. \"predicted_\")");
            }
            out = out.add(column, DataTypes.createArrayType(element, false), false);
        }
        Partitions.read(data, layout, false); // fails on a bad row before any scoring
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        Broadcast<Flat> weights = spark.broadcast(Flat.of(model.parameterBuffer()));
        @SuppressWarnings("unchecked")
        Class<? extends KilnModel> modelClass = (Class<? extends KilnModel>) model.getClass();
        org.nd4j.linalg.api.buffer.DataType dtype = model.dataType();
        JavaRDD<Row> scored = data.javaRDD().mapPartitions(rows -> {
            KilnModel worker = WorkerModels.holding(modelClass, dtype, weights.id(), weights.value());
            return new Scorer(worker, layout, rows, batchSize, doubles);
        });
        return data.sparkSession().createDataFrame(scored, out);
    }

    /**
     * Trains {@code model} on {@code data} across the Dataset's partitions as {@code options} say; the model in this
     * JVM (the driver) ends with the trained weights and optimizer state. Progress, callbacks, validation data and the
     * History work as in {@code fit}; after each epoch a line gives its rounds, bytes moved and time split into
     * compute and communication.
     */
    public static SparkRun fit(KilnModel model, Dataset<Row> data, SparkFit options) {
        return SparkTrainer.fit(model, data, options);
    }

    /** Scores one partition's rows in batches, yielding each row with the outputs appended. */
    private static final class Scorer implements Iterator<Row> {
        private final KilnModel model;
        private final Layout layout;
        private final Iterator<Row> rows;
        private final int batchSize;
        private final boolean doubles;
        private final List<Row> pending = new ArrayList<>();
        private Iterator<Row> ready = Collections.emptyIterator();

        Scorer(KilnModel model, Layout layout, Iterator<Row> rows, int batchSize, boolean doubles) {
            this.model = model;
            this.layout = layout;
            this.rows = rows;
            this.batchSize = batchSize;
            this.doubles = doubles;
        }

        @Override
        public boolean hasNext() {
            if (!ready.hasNext() && rows.hasNext()) {
                ready = nextBatch();
            }
            return ready.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return ready.next();
        }

        private Iterator<Row> nextBatch() {
            pending.clear();
            while (pending.size() < batchSize && rows.hasNext()) {
                pending.add(rows.next());
            }
            Block block = Block.read(-1, pending.iterator(), layout);
            if (block.problem != null) { // checked before scoring; only data that changed since can get here
                throw new IllegalArgumentException(block.problem);
            }
            int[] order = new int[block.rows];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            INDArray[] inputs = new INDArray[layout.inputs.size()];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = block.gather(i, layout.inputs.get(i).shape, order, 0, block.rows, model.dataType());
            }
            INDArray[] outputs = model.predictBatch(inputs);
            List<Row> result = new ArrayList<>(pending.size());
            for (int r = 0; r < pending.size(); r++) {
                Row row = pending.get(r);
                Object[] values = new Object[row.length() + outputs.length];
                for (int c = 0; c < row.length(); c++) {
                    values[c] = row.get(c);
                }
                for (int o = 0; o < outputs.length; o++) {
                    INDArray y = outputs[o];
                    long width = y.length() / y.size(0);
                    INDArray slice = y.reshape('c', new long[] {y.size(0), width}).getRow(r);
                    values[row.length() + o] = doubles ? slice.toDoubleVector() : slice.toFloatVector();
                }
                result.add(RowFactory.create(values));
            }
            return result.iterator();
        }
    }
}
