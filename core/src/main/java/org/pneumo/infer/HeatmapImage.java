package org.pneumo.infer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.pneumo.io.AtomicFiles;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.Resampler;

/**
 * Draws a Grad-CAM heatmap over the gray X-ray with a perceptual colour map (dark purple to yellow, like inferno),
 * stronger where the map is high and the probability of pneumonia is high, so the X-ray stays visible elsewhere, with
 * a legend and a caption (verdict, file, model).
 */
public final class HeatmapImage {
    /** Longest side of the drawn X-ray. */
    public static final int MAX_SIDE = 512;

    // Control points of an inferno-like map: perceptually ordered from black through purple and orange to yellow.
    private static final int[][] STOPS = {
        {0, 0, 4}, {31, 12, 72}, {85, 15, 109}, {136, 34, 106}, {186, 54, 85}, {227, 89, 51}, {249, 140, 10},
        {249, 201, 50}, {252, 255, 164}
    };

    private HeatmapImage() {}

    /** The colour for a value in [0, 1]. */
    public static Color colour(double v) {
        double x = Math.max(0, Math.min(1, v)) * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) Math.floor(x));
        double f = x - i;
        int[] a = STOPS[i];
        int[] b = STOPS[i + 1];
        return new Color((int) Math.round(a[0] + f * (b[0] - a[0])), (int) Math.round(a[1] + f * (b[1] - a[1])),
                (int) Math.round(a[2] + f * (b[2] - a[2])));
    }

    /**
     * The overlay picture: the X-ray (aspect ratio kept, longest side {@link #MAX_SIDE}, small images enlarged) with
     * the heatmap over it, a legend saying what the colours mean, and a caption with the verdict, the file name and
     * the model. The colour's strength is the map's value times the probability of pneumonia, so a confident NORMAL
     * shows almost no colour: the map is relative within each image and would otherwise paint its faintest evidence
     * as brightly as a real finding.
     */
    public static BufferedImage render(BufferedImage xray, Prediction prediction) {
        if (prediction.heatmap() == null) {
            throw new IllegalArgumentException("prediction has no heatmap");
        }
        BufferedImage gray = enlarged(ImageDecoder.grayPreview(xray, MAX_SIDE), MAX_SIDE);
        int w = gray.getWidth();
        int h = gray.getHeight();
        Heatmap map = prediction.heatmap();
        float[] heat = Resampler.resize(map.values(), map.width(), map.height(), w, h);
        double strength = Math.max(0, Math.min(1, prediction.probability()));
        int legend = 150;
        int caption = 66;
        BufferedImage out = new BufferedImage(w + legend, Math.max(h, 330) + caption, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = gray.getRaster().getSample(x, y, 0);
                double v = Math.max(0, Math.min(1, heat[y * w + x]));
                Color c = colour(v);
                double alpha = 0.6 * v * strength;
                int r = (int) Math.round((1 - alpha) * g + alpha * c.getRed());
                int gg = (int) Math.round((1 - alpha) * g + alpha * c.getGreen());
                int b = (int) Math.round((1 - alpha) * g + alpha * c.getBlue());
                out.setRGB(x, y, (r << 16) | (gg << 8) | b);
            }
        }
        int bottom = out.getHeight() - caption;
        Graphics2D g2 = out.createGraphics();
        try {
            g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g2.setColor(Color.WHITE);
            g2.fillRect(w, 0, legend, out.getHeight());
            g2.fillRect(0, h, w, out.getHeight() - h);
            int barX = w + 14;
            int barTop = 34;
            int barHeight = Math.max(120, bottom - 150);
            for (int y = 0; y < barHeight; y++) {
                g2.setColor(colour(1 - (double) y / (barHeight - 1)));
                g2.fillRect(barX, barTop + y, 18, 1);
            }
            g2.setColor(Color.DARK_GRAY);
            g2.setStroke(new BasicStroke(1f));
            g2.drawRect(barX, barTop, 18, barHeight);
            g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g2.drawString("Grad-CAM", barX - 4, 20);
            g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g2.drawString("more", barX + 24, barTop + 11);
            g2.drawString("less", barX + 24, barTop + barHeight);
            int y0 = barTop + barHeight + 20;
            for (String line : new String[] {"where the network", "found evidence", "for pneumonia;", "colour strength",
                "scales with the", "probability", "(none: no colour)"}) {
                g2.drawString(line, barX - 4, y0);
                y0 += 15;
            }
            g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g2.setColor(Color.BLACK);
            g2.drawString(String.format(Locale.ROOT, "%s   probability of pneumonia %s", prediction.label(),
                    probability(prediction.probability())), 8, bottom + 20);
            g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g2.drawString(String.format(Locale.ROOT, "threshold %.3f   model %s", prediction.threshold(),
                    prediction.modelId()), 8, bottom + 40);
            g2.drawString(fileName(prediction.source()), 8, bottom + 58);
        } finally {
            g2.dispose();
        }
        return out;
    }

    /** A probability with three decimals, never rounded to certainty: "&gt;0.999" and "&lt;0.001" at the ends. */
    public static String probability(double p) {
        return p > 0.999 ? ">0.999" : p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /** The last part of a path (either separator), which is what a reader recognises. */
    static String fileName(String source) {
        String s = source == null ? "" : source;
        return s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
    }

    /** The gray picture enlarged (bilinear) so its longest side is {@code side}; larger pictures are kept. */
    static BufferedImage enlarged(BufferedImage gray, int side) {
        int w = gray.getWidth();
        int h = gray.getHeight();
        if (Math.max(w, h) >= side) {
            return gray;
        }
        double scale = (double) side / Math.max(w, h);
        int nw = Math.max(1, (int) Math.round(w * scale));
        int nh = Math.max(1, (int) Math.round(h * scale));
        float[] samples = gray.getRaster().getSamples(0, 0, w, h, 0, (float[]) null);
        float[] big = Resampler.resize(samples, w, h, nw, nh);
        BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < big.length; i++) {
            big[i] = Math.max(0, Math.min(255, Math.round(big[i])));
        }
        out.getRaster().setSamples(0, 0, nw, nh, 0, big);
        return out;
    }

    /** Renders and writes the overlay as a PNG. */
    public static void write(BufferedImage xray, Prediction prediction, Path png) throws IOException {
        AtomicFiles.write(png, png(xray, prediction));
    }

    /** Renders the overlay as PNG bytes, in memory only (ImageIO's default cache would use a temporary file). */
    public static byte[] png(BufferedImage xray, Prediction prediction) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream out =
                new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(render(xray, prediction), "png", out)) {
                throw new IOException("no PNG writer");
            }
        }
        return bytes.toByteArray();
    }
}
