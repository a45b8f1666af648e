package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Which data ship their rows with every task (and so have their cached blocks checkpointed locally). */
class PartitionsTest {

    private static Dataset<Row> local() {
        return SparkTesting.spark().createDataFrame(List.of(RowFactory.create(1.0), RowFactory.create(2.0)),
                new StructType().add("x", DataTypes.DoubleType));
    }

    @Test
    void collectionsParallelizedFromTheDriverShipTheirRowsWithEveryTask() {
        assertTrue(Partitions.shipsData(SparkTesting.context().parallelize(List.of(1, 2, 3), 2).map(i -> i + 1).rdd()));
        assertTrue(Partitions.shipsData(local().javaRDD().rdd()), "a Dataset made from a local list");
    }

    @Test
    void afterAShuffleTheTasksShipNoRows() {
        assertFalse(Partitions.shipsData(SparkTesting.context().parallelize(List.of(1, 2, 3), 2).repartition(2).rdd()));
        assertFalse(Partitions.shipsData(local().repartition(2).javaRDD().rdd()));
    }
}
