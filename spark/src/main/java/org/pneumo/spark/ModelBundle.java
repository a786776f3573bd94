package org.pneumo.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.pneumo.model.ModelLoadException;

/**
 * The files of a model folder as bytes, read once on the driver (from any file system Hadoop knows: local, HDFS,
 * S3) and broadcast, so executors need no shared storage and no {@code --files}.
 */
final class ModelBundle implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String modelId;
    private final double threshold;
    private final LinkedHashMap<String, byte[]> files;

    private ModelBundle(String modelId, double threshold, LinkedHashMap<String, byte[]> files) {
        this.modelId = modelId;
        this.threshold = threshold;
        this.files = files;
    }

    /** Reads the model folder at {@code uri} and checks its {@code model.json}. */
    static ModelBundle read(String uri, Configuration conf) throws IOException, ModelLoadException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) {
            throw new ModelLoadException("model folder " + uri + " does not exist");
        }
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
        for (String name : CoreAdapter.MODEL_FILES) {
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, name);
            if (!fs.exists(file)) {
                if (CoreAdapter.OPTIONAL_MODEL_FILES.contains(name)) {
                    continue; // an older model without an out-of-scope guard
                }
                throw new ModelLoadException("model folder " + uri + " has no " + name);
            }
            try (InputStream in = fs.open(file)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                files.put(name, bytes.toByteArray());
            }
        }
        Path local = unpack(files);
        try {
            CoreAdapter.ModelSummary summary = CoreAdapter.describe(local);
            return new ModelBundle(summary.modelId(), summary.threshold(), files);
        } finally {
            deleteFolder(local);
        }
    }

    String modelId() {
        return modelId;
    }

    /** The model's own operating threshold. */
    double threshold() {
        return threshold;
    }

    long sizeBytes() {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    /** Writes the files into a new temporary folder (the caller deletes it). */
    Path unpack() throws IOException {
        return unpack(files);
    }

    private static Path unpack(Map<String, byte[]> files) throws IOException {
        Path dir = Files.createTempDirectory("pneumo-model-");
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        return dir;
    }

    static void deleteFolder(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
