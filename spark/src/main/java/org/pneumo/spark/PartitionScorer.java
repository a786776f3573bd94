package org.pneumo.spark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one partition of {@code binaryFile} rows ({@code path}, {@code content}) in batches, lazily: at most one
 * batch of images is held at a time, and the model comes from the executor's {@link ExecutorDetector}.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionScorer.class);

    /** One row per file. */
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add("probability", DataTypes.DoubleType, true)
            .add("threshold", DataTypes.DoubleType, false)
            .add("model_id", DataTypes.StringType, false)
            .add("in_scope", DataTypes.BooleanType, true)
            .add("typicality", DataTypes.DoubleType, true)
            .add("scope_reason", DataTypes.StringType, true)
            .add("scope_note", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true);

    private final String modelId;
    private final Broadcast<ModelBundle> bundle;
    private final double threshold;
    private final int batchSize;

    PartitionScorer(String modelId, Broadcast<ModelBundle> bundle, double threshold, int batchSize) {
        this.modelId = modelId;
        this.bundle = bundle;
        this.threshold = threshold;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        TaskContext task = TaskContext.get();
        int cpus = task == null ? 1 : task.cpus();
        CoreAdapter scorer = ExecutorDetector.get(modelId, bundle::value, cpus);
        int partition = task == null ? -1 : task.partitionId();
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private int scored;
            private boolean logged;

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && input.hasNext()) {
                    scoreNextBatch();
                }
                if (ready.isEmpty() && !logged) {
                    logged = true;
                    LOG.info("scored partition {}: {} files", partition, scored);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            private void scoreNextBatch() {
                List<String> paths = new ArrayList<>(batchSize);
                List<byte[]> contents = new ArrayList<>(batchSize);
                while (paths.size() < batchSize && input.hasNext()) {
                    Row r = input.next();
                    paths.add(r.getString(0));
                    contents.add((byte[]) r.get(1));
                }
                List<CoreAdapter.Score> scores;
                try {
                    scores = scorer.score(paths, contents, threshold);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                scored += paths.size();
                for (int i = 0; i < paths.size(); i++) {
                    ready.add(row(paths.get(i), scores.get(i), threshold, modelId));
                }
            }
        };
    }

    static Row row(String path, CoreAdapter.Score s, double threshold, String modelId) {
        return RowFactory.create(path, s.label(), s.probability(), threshold, modelId, s.inScope(), s.typicality(),
                s.scopeReason(), s.scopeNote(), s.error());
    }
}
