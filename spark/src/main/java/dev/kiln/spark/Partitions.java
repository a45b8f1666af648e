package dev.kiln.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.Dependency;
import org.apache.spark.NarrowDependency;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Records (a {@code Dataset<Row>}'s rows or {@link Sample}s) read into one {@link Block} per partition and checked, in
 * one Spark job, before training or scoring starts: a bad value fails here, naming its column and its record, counted
 * from 0 in the data's order (partition after partition).
 */
final class Partitions {

    final JavaRDD<Block> blocks;
    /** Rows per partition, by partition index. */
    final long[] rows;
    final long total;

    private Partitions(JavaRDD<Block> blocks, long[] rows) {
        this.blocks = blocks;
        this.rows = rows;
        long t = 0;
        for (long r : rows) {
            t += r;
        }
        this.total = t;
    }

    /**
     * Reads and checks {@code records}; when {@code keep}, the blocks stay cached on the executors for the rounds,
     * otherwise the records are only checked (and {@link #blocks} holds summaries).
     */
    static <T> Partitions read(JavaRDD<T> records, Layout layout, boolean keep) {
        JavaRDD<Block> blocks = records
                .mapPartitionsWithIndex((p, it) -> Collections.singletonList(keep ? Block.read(p, it, layout)
                        : Block.check(p, it, layout)).iterator(), true);
        if (keep) {
            blocks = blocks.persist(StorageLevel.MEMORY_ONLY());
            if (shipsData(records.rdd())) {
                blocks.rdd().localCheckpoint(); // the rounds' tasks then carry a partition's index, not its rows
            }
        }
        List<Block> summaries = new ArrayList<>(blocks.map(Block::summary).collect());
        summaries.sort(Comparator.comparingInt(b -> b.partition));
        long[] rows = new long[summaries.size()];
        long before = 0;
        for (Block b : summaries) {
            rows[b.partition] = b.rows;
            if (b.problem != null) {
                if (keep) {
                    blocks.unpersist(false);
                }
                String noun = layout.noun();
                throw new IllegalArgumentException(noun + " " + (before + b.problemRow) + " (" + noun + " "
                        + b.problemRow + " of partition " + b.partition + "): " + b.problem);
            }
            before += b.rows;
        }
        return new Partitions(blocks, rows);
    }

    /**
     * Whether every task over {@code rdd} (or an RDD mapped from it) carries its partition's data: a collection
     * parallelized from the driver ({@code parallelize}, or a Dataset made from a local list) holds its rows in its
     * partitions, and a narrow dependency hands the same partitions on. A task of a training round would then ship
     * and deserialize the partition's rows every round (seconds for Fashion-MNIST), although the blocks are cached;
     * such blocks are checkpointed locally instead, which cuts the lineage (an executor lost during training then
     * fails the job instead of recomputing its blocks from the driver's collection).
     */
    static boolean shipsData(RDD<?> rdd) {
        if (rdd.getClass().getName().equals("org.apache.spark.rdd.ParallelCollectionRDD")) {
            return true;
        }
        for (Dependency<?> dependency : CollectionConverters.asJava(rdd.dependencies())) {
            if (dependency instanceof NarrowDependency<?> && shipsData(dependency.rdd())) {
                return true;
            }
        }
        return false;
    }
}
