package org.pneumo.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageDecoder;
import org.pneumo.eval.Evaluation;
import org.pneumo.infer.Detector;
import org.pneumo.infer.HeatmapImage;
import org.pneumo.infer.Prediction;

/** The most confident mistakes of an evaluation, each as a thumbnail of the X-ray and of its Grad-CAM heatmap. */
public final class ErrorGallery {
    /** Width of a thumbnail in page pixels (drawn at twice that). */
    static final int THUMBNAIL = 220;

    /** One mistake: where it is, what it is, and its two pictures as PNG bytes. */
    public record Example(int index, Path file, Diagnosis actual, double probability, byte[] xray, byte[] heatmap) {}

    private ErrorGallery() {}

    /** Indices of the misclassified images, the most confident (farthest from the threshold) first. */
    public static List<Integer> mistakes(Evaluation e) {
        List<Integer> wrong = new ArrayList<>();
        double[] p = e.probabilities();
        for (int i = 0; i < p.length; i++) {
            if (e.predicted(i) != e.images().get(i).label()) {
                wrong.add(i);
            }
        }
        wrong.sort((a, b) -> Double.compare(Math.abs(p[b] - e.threshold()), Math.abs(p[a] - e.threshold())));
        return wrong;
    }

    /** The first {@code limit} mistakes with their pictures, drawn by {@code detector}; unreadable files are left out. */
    public static List<Example> of(Detector detector, Evaluation e, int limit) {
        List<Example> examples = new ArrayList<>();
        for (int i : mistakes(e)) {
            if (examples.size() >= limit) {
                break;
            }
            Path file = e.images().get(i).file();
            try {
                BufferedImage display = detector.readForDisplay(file);
                Prediction p = detector.predictWithHeatmap(file);
                BufferedImage overlay = HeatmapImage.render(display, p);
                examples.add(new Example(i, file, e.images().get(i).label(), e.probabilities()[i],
                        png(scaled(ImageDecoder.grayPreview(display, 2 * THUMBNAIL), 2 * THUMBNAIL)),
                        png(scaled(overlay, 2 * THUMBNAIL))));
            } catch (IOException | RuntimeException ex) {
                // The file was read during the evaluation; if it cannot be read again it is only left out here.
            }
        }
        return examples;
    }

    static BufferedImage scaled(BufferedImage image, int width) {
        int height = (int) Math.round((double) image.getHeight() * width / image.getWidth());
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageIO.write(image, "png", out);
        }
        return bytes.toByteArray();
    }
}
