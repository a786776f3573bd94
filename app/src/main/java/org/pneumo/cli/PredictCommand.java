package org.pneumo.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.pneumo.io.AtomicFiles;
import org.pneumo.io.Json;
import org.pneumo.data.Csv;
import org.pneumo.data.ImageFolder;
import org.pneumo.infer.Detector;
import org.pneumo.infer.HeatmapImage;
import org.pneumo.infer.Prediction;
import org.pneumo.infer.PredictionResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pneumo predict}: NORMAL or PNEUMONIA, with the probability, for image files and folders. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict NORMAL or PNEUMONIA for X-ray files and folders (searched recursively for .jpeg, .jpg,"
                + " .png, .dcm). Prints one line per image: label, probability of pneumonia, file. Exit code 3 when some"
                + " files could not be read.")
final class PredictCommand implements Callable<Integer> {
    /** Exit code when at least one file could not be read (the others were predicted). */
    static final int EXIT_SOME_FAILED = 3;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Image files or folders.")
    List<Path> paths;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    BatchOptions batchOptions;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Also write the results as CSV (.csv) or JSON (.json): file, probability, label, threshold,"
                    + " model, error.")
    Path out;

    @Option(names = "--heatmaps", paramLabel = "DIR",
            description = "Write a Grad-CAM overlay PNG per image into DIR.")
    Path heatmaps;

    @Override
    public Integer call() throws Exception {
        String format = out == null ? null : extension(out);
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            throw new IllegalArgumentException("--out must end in .csv or .json, got " + out);
        }
        if (out != null) {
            OutputPaths.file("--out", out);
        }
        if (heatmaps != null) {
            OutputPaths.folder("--heatmaps", heatmaps);
        }
        List<String> missing = new ArrayList<>();
        List<Path> files = collect(paths, missing);
        if (!missing.isEmpty()) {
            // A path that does not exist is a typo on the command line, not an unreadable image: usage error.
            throw new IllegalArgumentException("no such file or folder: " + String.join(", ", missing));
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .jpeg, .jpg, .png or .dcm files under " + paths);
        }
        PrintStream stdout = System.out;
        try (Detector detector = modelOptions.load()) {
            ProgressLine progress = new ProgressLine(System.err, "predicting", files.size());
            List<PredictionResult> results = files.isEmpty() ? List.of()
                    : detector.predictFiles(files, batchOptions.batchSize, heatmaps != null, progress);
            progress.finish();
            List<PredictionResult> all = new ArrayList<>(results);
            int failed = 0;
            int pneumonia = 0;
            Set<String> names = new HashSet<>();
            for (PredictionResult r : all) {
                if (r.failed()) {
                    failed++;
                    System.err.println("error: " + OutputPaths.printable(r.file()) + ": " + OutputPaths.printable(r.error()));
                    continue;
                }
                Prediction p = r.prediction();
                if (p.label() == org.pneumo.data.Diagnosis.PNEUMONIA) {
                    pneumonia++;
                }
                stdout.printf(Locale.ROOT, "%-9s %.4f  %s%n", p.label(), p.probability(), OutputPaths.printable(r.file()));
                if (heatmaps != null) {
                    Path png = heatmaps.resolve(uniqueName(r.file(), names));
                    HeatmapImage.write(detector.readForDisplay(r.file()), p, png);
                }
            }
            if (out != null) {
                write(all, format);
            }
            System.err.printf(Locale.ROOT, "%s: %d PNEUMONIA, %d NORMAL, %d could not be read (model %s,"
                            + " threshold %.4f)%s%n", count(all.size(), "image"), pneumonia, all.size() - failed - pneumonia, failed,
                    detector.info().modelId(), detector.threshold(),
                    heatmaps == null ? "" : "; heatmaps in " + heatmaps);
            return failed > 0 ? EXIT_SOME_FAILED : 0;
        }
    }

    /** "1 image", "2 images". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static List<Path> collect(List<Path> paths, List<String> missing) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(ImageFolder::isImageName).sorted().forEach(files::add);
                }
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                missing.add(p.toString());
            }
        }
        return files;
    }

    private static String uniqueName(Path file, Set<String> used) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String candidate = stem + "_heatmap.png";
        for (int i = 2; !used.add(candidate); i++) {
            candidate = stem + "_" + i + "_heatmap.png";
        }
        return candidate;
    }

    private void write(List<PredictionResult> results, String format) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (format.equals("csv")) {
            sb.append("file,probability,label,threshold,model,error\n");
            for (PredictionResult r : results) {
                Prediction p = r.prediction();
                sb.append(Csv.field(r.file().toString())).append(',')
                        .append(p == null ? "" : String.format(Locale.ROOT, "%.6f", p.probability())).append(',')
                        .append(p == null ? "" : p.label()).append(',')
                        .append(p == null ? "" : String.format(Locale.ROOT, "%.6f", p.threshold())).append(',')
                        .append(p == null ? "" : Csv.field(p.modelId())).append(',')
                        .append(r.error() == null ? "" : Csv.field(r.error())).append('\n');
            }
        } else {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (PredictionResult r : results) {
                Map<String, Object> row = new LinkedHashMap<>();
                Prediction p = r.prediction();
                row.put("file", r.file().toString());
                if (p != null) {
                    row.put("probability", p.probability());
                    row.put("label", p.label().name());
                    row.put("threshold", p.threshold());
                    row.put("model", p.modelId());
                } else {
                    row.put("error", r.error());
                }
                rows.add(row);
            }
            sb.append(Json.FILES.toJson(rows)).append('\n');
        }
        AtomicFiles.write(out, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
