package org.pneumo.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.pneumo.io.AtomicFiles;
import org.pneumo.io.Json;
import org.pneumo.data.Csv;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.ImageSource;
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
            description = "Also write the results as CSV (.csv) or JSON (.json): file, label, probability, threshold,"
                    + " modelId, error.")
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
            ProgressBar progress = new ProgressBar(System.err, "predicting", files.size());
            List<Map<String, Object>> rows = new ArrayList<>();
            int[] failed = {0};
            int[] pneumonia = {0};
            int[] outOfScope = {0};
            int[] unusual = {0};
            Set<String> names = new HashSet<>();
            // Each result is printed, its heatmap written and dropped as it comes: constant memory for any folder.
            Consumer<PredictionResult> each = r -> {
                Path file = files.get(rows.size());
                rows.add(r.fields());
                progress.accept(rows.size());
                if (r.failed()) {
                    failed[0]++;
                    System.err.println("error: " + OutputPaths.printable(file) + ": " + OutputPaths.printable(r.error()));
                    return;
                }
                Prediction p = r.prediction();
                if (p.label() == Diagnosis.PNEUMONIA) {
                    pneumonia[0]++;
                }
                if (p.scope().outOfScope()) {
                    outOfScope[0]++;
                } else if (p.scope().note() != null) {
                    unusual[0]++;
                }
                stdout.println(line(p, OutputPaths.printable(file)));
                if (heatmaps != null) {
                    Path png = heatmaps.resolve(uniqueName(file, names));
                    try {
                        HeatmapImage.write(detector.readForDisplay(file), p, png);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    rows.get(rows.size() - 1).put("heatmap", png.toString());
                }
            };
            try {
                detector.predictEach(files.stream().map(ImageSource::of).iterator(), batchOptions.batchSize,
                        heatmaps != null, each);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            progress.finish();
            if (out != null) {
                write(rows, format);
            }
            System.err.printf(Locale.ROOT, "%s: %d PNEUMONIA, %d NORMAL, %d could not be read; %s (model %s,"
                            + " threshold %.4f)%s%n", count(rows.size(), "image"), pneumonia[0],
                    rows.size() - failed[0] - pneumonia[0], failed[0],
                    detector.hasScopeGuard() ? outOfScope[0] + " out of scope (unlike the training images), "
                            + unusual[0] + " unusual" : "no out-of-scope guard in this model",
                    detector.info().modelId(), detector.threshold(),
                    heatmaps == null ? "" : "; heatmaps in " + heatmaps);
            return failed[0] > 0 ? EXIT_SOME_FAILED : 0;
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

    /**
     * {@code <name>_heatmap.png}; when another input has the same name, its folder's name goes in front
     * ({@code <folder>_<name>_heatmap.png}), then a number. The CSV/JSON output names each file's heatmap.
     */
    static String uniqueName(Path file, Set<String> used) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String candidate = stem + "_heatmap.png";
        Path parent = file.toAbsolutePath().getParent();
        if (!used.add(candidate) && parent != null && parent.getFileName() != null) {
            stem = parent.getFileName() + "_" + stem;
            candidate = stem + "_heatmap.png";
            for (int i = 2; !used.add(candidate); i++) {
                candidate = stem + "_" + i + "_heatmap.png";
            }
        }
        return candidate;
    }

    /** The rows as CSV or JSON, with the field names of {@link PredictionResult#fields()} (as the HTTP API). */
    private void write(List<Map<String, Object>> rows, String format) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (format.equals("csv")) {
            List<String> columns = new ArrayList<>(PredictionResult.FIELD_NAMES);
            columns.add("heatmap");
            sb.append(String.join(",", columns)).append('\n');
            for (Map<String, Object> row : rows) {
                List<String> cells = new ArrayList<>();
                for (String name : columns) {
                    Object v = row.get(name);
                    cells.add(v == null ? "" : v instanceof Double d && name.equals("typicality")
                            ? String.format(Locale.ROOT, "%.3f", d) : v instanceof Double d ? String.format(Locale.ROOT, "%.6f", d)
                            : Csv.field(v.toString()));
                }
                sb.append(String.join(",", cells)).append('\n');
            }
        } else {
            sb.append(Json.FILES.toJson(rows)).append('\n');
        }
        AtomicFiles.write(out, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * One result's console line: label, probability and file; an image out of scope keeps its verdict, marked
     * OUT-OF-SCOPE with the reason, and an unusual one (inside the cut, beyond the validation 95th percentile) is
     * marked UNUSUAL.
     */
    static String line(Prediction p, String file) {
        String head = String.format(Locale.ROOT, "%-9s %-6s  %s", p.label(),
                HeatmapImage.probability(p.probability()), file);
        if (p.scope().outOfScope()) {
            return head + "  OUT-OF-SCOPE: " + p.scope().reason();
        }
        String note = p.scope().note();
        return note == null ? head : head + "  UNUSUAL: " + note;
    }
}
