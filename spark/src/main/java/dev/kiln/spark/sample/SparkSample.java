package dev.kiln.spark.sample;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.data.Digits;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Fit;
import dev.kiln.spark.EpochCost;
import dev.kiln.spark.KilnSpark;
import dev.kiln.spark.SparkFit;
import dev.kiln.spark.SparkRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An MLP trained on Spark: the embedded digits (default) or Fashion-MNIST ({@code --data fashion [--dir DIR]}), as a
 * {@code Dataset<Row>} of a {@code pixels} array column and a {@code label} column, in {@code --partitions} partitions.
 * Run locally by {@code ./kiln spark} ({@code local[--threads]}), or on a cluster by {@code spark-submit}, which gives
 * the master. Prints each epoch's line and cost line, the test accuracy on the driver, and the accuracy of the scores
 * that {@code KilnSpark.predict} adds to the test rows.
 *
 * <pre>
 * options: --data digits|fashion  --dir DIR  --mode sync|average  --every K  --epochs N  --batch-size N
 *          --partitions N  --threads N  --seed N  --learning-rate X  --quiet
 * </pre>
 */
public final class SparkSample {

    private SparkSample() {
    }

    public static void main(String[] args) throws IOException {
        String data = "digits";
        Path dir = null;
        String mode = "average";
        int every = 8;
        int epochs = -1;
        int batchSize = 32;
        int partitions = 2;
        int threads = 2;
        long seed = 42;
        double learningRate = 3e-3;
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--data" -> data = args[++i];
                case "--dir" -> dir = Path.of(args[++i]);
                case "--mode" -> mode = args[++i];
                case "--every" -> every = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--batch-size" -> batchSize = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--learning-rate" -> learningRate = Double.parseDouble(args[++i]);
                case "--quiet" -> quiet = true;
                default -> throw new IllegalArgumentException("unknown option " + a + "; see dev.kiln.spark.sample"
                        + ".SparkSample's Javadoc for the options");
            }
        }
        if (!mode.equals("sync") && !mode.equals("average")) {
            throw new IllegalArgumentException("--mode is sync or average, not " + mode);
        }
        boolean fashion = data.equals("fashion");
        if (!fashion && !data.equals("digits")) {
            throw new IllegalArgumentException("--data is digits or fashion, not " + data);
        }
        TrainTest split = fashion ? (dir == null ? FashionMnist.load() : FashionMnist.load(dir))
                : Digits.trainTestSplit(0.2, seed);
        if (epochs < 0) {
            epochs = fashion ? 5 : 20;
        }

        SparkSession.Builder builder = SparkSession.builder().appName("kiln-" + data);
        if (!new SparkConf().contains("spark.master")) { // spark-submit gives the master; ./kiln runs locally
            builder.master("local[" + threads + "]").config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        try {
            Dataset<Row> train = frame(spark, split.train().inputs().get(0), split.train().targets().get(0))
                    .repartition(partitions);
            KilnModel model = fashion ? FashionOnSparkModel.create(seed) : DigitsOnSparkModel.create(seed);
            double lr = learningRate;
            model.compile(new Adam(lr));
            Fit fit = Fit.epochs(epochs).batchSize(batchSize).seed(seed).verbose(quiet ? 0 : 2);
            SparkFit options = mode.equals("sync") ? SparkFit.synchronousGradients(fit)
                    : SparkFit.parameterAveraging(fit, every, () -> new Adam(lr));
            long start = System.nanoTime();
            SparkRun run = KilnSpark.fit(model, train, options);
            double seconds = (System.nanoTime() - start) / 1e9;

            double accuracy = model.evaluate(split.test()).get("accuracy");
            Dataset<Row> test = frame(spark, split.test().inputs().get(0), split.test().targets().get(0));
            List<Row> scored = KilnSpark.predict(model, test, 256, "predicted_").select("label", "predicted_label")
                    .collectAsList();
            long hits = scored.stream().filter(r -> argmax(r.getList(1)) == (int) r.getDouble(0)).count();
            int rounds = run.costs().stream().mapToInt(EpochCost::rounds).sum();
            List<Double> epochSeconds = run.history().epochSeconds();
            double warm = epochSeconds.size() > 1
                    ? epochSeconds.subList(1, epochSeconds.size()).stream().mapToDouble(Double::doubleValue).average()
                    .orElse(0) : epochSeconds.get(0);
            System.out.printf(Locale.ROOT, "%s on Spark (%s, %d partitions, %s): %d epochs, %d rounds in %.1f s"
                    + " (reading the rows included; %.2f s an epoch after the first); test accuracy %.4f on the"
                    + " driver, %.4f from KilnSpark.predict%n",
                    data, spark.sparkContext().master(), train.rdd().getNumPartitions(), mode.equals("sync")
                            ? "synchronous gradients, global batch " + batchSize
                            : "parameter averaging every " + every + " steps of " + batchSize,
                    epochs, rounds, seconds, warm, accuracy, (double) hits / scored.size());
        } finally {
            spark.stop();
        }
    }

    /** Rows of a float array column {@code pixels} and a number column {@code label}. */
    static Dataset<Row> frame(SparkSession spark, INDArray pixels, INDArray labels) {
        INDArray flat = pixels.reshape('c', new long[] {pixels.size(0), pixels.length() / pixels.size(0)});
        double[] ids = labels.ravel().toDoubleVector();
        List<Row> rows = new ArrayList<>(ids.length);
        for (int r = 0; r < ids.length; r++) {
            rows.add(RowFactory.create(flat.getRow(r).toFloatVector(), ids[r]));
        }
        StructType schema = new StructType()
                .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.DoubleType, false);
        return spark.createDataFrame(rows, schema);
    }

    private static int argmax(List<Object> values) {
        int best = 0;
        for (int i = 1; i < values.size(); i++) {
            if (((Number) values.get(i)).doubleValue() > ((Number) values.get(best)).doubleValue()) {
                best = i;
            }
        }
        return best;
    }
}
