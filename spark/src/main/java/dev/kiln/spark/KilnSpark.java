package dev.kiln.spark;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import java.io.Serializable;
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
 * Kiln models on Apache Spark: scoring a {@code Dataset<Row>} or a {@code JavaRDD<Sample>}, and data-parallel training
 * on either.
 *
 * <p>Columns are named as the model's nodes: one per {@code @Input}, holding an array of the input's size (its shape
 * flattened in row-major order) of any numeric type or a Spark ML vector (dense or sparse); for training, one per
 * {@code @Output} that has a loss, holding an array or vector of the output's size, or for a sparse loss the class id
 * (a number). A {@link Sample} holds the same values by name. Every column and every record is checked before the work
 * starts: a missing column or one of the wrong type fails on the driver naming the column and what the model expects;
 * a record with a wrong length, a null, a NaN or a bad class id fails naming the column and the record.
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
        checkBatchSize(batchSize);
        StructType schema = data.schema();
        Layout layout = Layout.of(model, schema, false);
        List<String> names = Arrays.asList(schema.fieldNames());
        StructType out = schema;
        DataType element = doubles(model) ? DataTypes.DoubleType : DataTypes.FloatType;
        for (OutputSpec o : model.outputs()) {
            String column = prefix + o.name();
            if (names.contains(column)) {
                throw new IllegalArgumentException("the data already has a column '" + column + "' for the output '"
                        + o.name() + "': drop it, or give predict a prefix for the output columns (e.g. \"predicted_\")");
            }
            out = out.add(column, DataTypes.createArrayType(element, false), false);
        }
        JavaRDD<Row> scored = score(model, data.javaRDD(), layout, batchSize, (row, outputs) -> {
            Object[] values = new Object[row.length() + outputs.length];
            for (int c = 0; c < row.length(); c++) {
                values[c] = row.get(c);
            }
            System.arraycopy(outputs, 0, values, row.length(), outputs.length);
            return RowFactory.create(values);
        });
        return data.sparkSession().createDataFrame(scored, out);
    }

    /** {@code samples}, each with the model's outputs added as values named as the outputs; batches of 32 samples. */
    public static JavaRDD<Sample> predict(KilnModel model, JavaRDD<Sample> samples) {
        return predict(model, samples, PREDICT_BATCH_SIZE, "");
    }

    /**
     * {@code samples}, each with the model's outputs added as values named {@code prefix + output} ({@code float[]}
     * or {@code double[]} as the model), scored as {@link #predict(KilnModel, Dataset, int, String)} scores rows: the
     * samples are checked first (one pass), then scored when the returned RDD is computed.
     */
    public static JavaRDD<Sample> predict(KilnModel model, JavaRDD<Sample> samples, int batchSize, String prefix) {
        checkBatchSize(batchSize);
        List<String> names = new ArrayList<>();
        model.outputs().forEach(o -> names.add(prefix + o.name()));
        Layout layout = Layout.ofSamples(model, false, names);
        return score(model, samples, layout, batchSize, (sample, outputs) -> {
            Sample scored = sample;
            for (int o = 0; o < outputs.length; o++) {
                scored = outputs[o] instanceof double[] d ? scored.with(names.get(o), d)
                        : scored.with(names.get(o), (float[]) outputs[o]);
            }
            return scored;
        });
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

    /** As {@link #fit(KilnModel, Dataset, SparkFit)}, on the RDD's partitions of samples. */
    public static SparkRun fit(KilnModel model, JavaRDD<Sample> samples, SparkFit options) {
        return SparkTrainer.fit(model, samples, options);
    }

    private static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("predict: batchSize must be at least 1, got " + batchSize);
        }
    }

    private static boolean doubles(KilnModel model) {
        return model.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE;
    }

    /**
     * Checks {@code records} (one job), then returns them scored lazily: the weights broadcast once, each partition
     * scored in batches by its thread's model, each record given its outputs by {@code appender}.
     */
    private static <T> JavaRDD<T> score(KilnModel model, JavaRDD<T> records, Layout layout, int batchSize,
                                        Appender<T> appender) {
        Partitions.read(records, layout, false); // fails on a bad record before any scoring
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(records.context());
        Broadcast<Flat> weights = spark.broadcast(Flat.of(model.parameterBuffer()));
        @SuppressWarnings("unchecked")
        Class<? extends KilnModel> modelClass = (Class<? extends KilnModel>) model.getClass();
        org.nd4j.linalg.api.buffer.DataType dtype = model.dataType();
        return records.mapPartitions(partition -> {
            KilnModel worker = WorkerModels.holding(modelClass, dtype, weights.id(), weights.value());
            return new Scorer<>(worker, layout, partition, batchSize, appender);
        });
    }

    /** Adds a record's outputs (one float[] or double[] each, in the model's order) to the record. */
    private interface Appender<T> extends Serializable {
        T append(T record, Object[] outputs);
    }

    /** Scores one partition's records in batches, yielding each record with the outputs appended. */
    private static final class Scorer<T> implements Iterator<T> {
        private final KilnModel model;
        private final Layout layout;
        private final Iterator<T> records;
        private final int batchSize;
        private final Appender<T> appender;
        private final List<T> pending = new ArrayList<>();
        private Iterator<T> ready = Collections.emptyIterator();

        Scorer(KilnModel model, Layout layout, Iterator<T> records, int batchSize, Appender<T> appender) {
            this.model = model;
            this.layout = layout;
            this.records = records;
            this.batchSize = batchSize;
            this.appender = appender;
        }

        @Override
        public boolean hasNext() {
            if (!ready.hasNext() && records.hasNext()) {
                ready = nextBatch();
            }
            return ready.hasNext();
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return ready.next();
        }

        private Iterator<T> nextBatch() {
            pending.clear();
            while (pending.size() < batchSize && records.hasNext()) {
                pending.add(records.next());
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
            boolean doubles = doubles(model);
            List<T> result = new ArrayList<>(pending.size());
            for (int r = 0; r < pending.size(); r++) {
                Object[] values = new Object[outputs.length];
                for (int o = 0; o < outputs.length; o++) {
                    INDArray y = outputs[o];
                    long width = y.length() / y.size(0);
                    INDArray slice = y.reshape('c', new long[] {y.size(0), width}).getRow(r);
                    values[o] = doubles ? slice.toDoubleVector() : slice.toFloatVector();
                }
                result.add(appender.append(pending.get(r), values));
            }
            return result.iterator();
        }
    }
}
