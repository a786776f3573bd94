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
import org.pneumo.model.ModelFiles;
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
        readModel(fs, dir, "", uri, files);
        // An ensemble's folder holds only its model.json; its members are model folders inside it.
        for (String member : CoreAdapter.members(files.get(ModelFiles.INFO_FILE))) {
            if (member.startsWith("/") || java.util.Arrays.asList(member.split("/")).contains("..")) {
                throw new ModelLoadException("model folder " + uri + " names member " + member
                        + ", which is not inside it");
            }
            readModel(fs, new org.apache.hadoop.fs.Path(dir, member), member + "/", uri + "/" + member, files);
        }
        Path local = unpack(files);
        try {
            CoreAdapter.ModelSummary summary = CoreAdapter.describe(local);
            return new ModelBundle(summary.modelId(), summary.threshold(), files);
        } finally {
            deleteFolder(local);
        }
    }

    /** Reads one model folder's files into {@code files} under {@code prefix}; an ensemble's own folder has no weights. */
    private static void readModel(FileSystem fs, org.apache.hadoop.fs.Path dir, String prefix, String uri,
            Map<String, byte[]> files) throws IOException, ModelLoadException {
        byte[] info = read(fs, new org.apache.hadoop.fs.Path(dir, ModelFiles.INFO_FILE), uri);
        files.put(prefix + ModelFiles.INFO_FILE, info);
        if (!CoreAdapter.members(info).isEmpty()) {
            return;
        }
        for (String name : CoreAdapter.MODEL_FILES) {
            if (name.equals(ModelFiles.INFO_FILE)) {
                continue;
            }
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, name);
            if (!fs.exists(file) && CoreAdapter.OPTIONAL_MODEL_FILES.contains(name)) {
                continue; // an older model without an out-of-scope guard
            }
            files.put(prefix + name, read(fs, file, uri));
        }
    }

    private static byte[] read(FileSystem fs, org.apache.hadoop.fs.Path file, String uri)
            throws IOException, ModelLoadException {
        if (!fs.exists(file)) {
            throw new ModelLoadException("model folder " + uri + " has no " + file.getName());
        }
        try (InputStream in = fs.open(file)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toByteArray();
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
            Path file = dir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue());
        }
        return dir;
    }

    static void deleteFolder(Path dir) throws IOException {
        org.pneumo.io.AtomicFiles.deleteRecursively(dir);
    }
}
