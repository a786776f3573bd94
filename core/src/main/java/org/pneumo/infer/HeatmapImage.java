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
 * stronger where the map is high so the X-ray stays visible elsewhere, and a legend with the verdict.
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

    /** The overlay picture: the X-ray (aspect ratio kept) with the heatmap stretched over it, and a legend. */
    public static BufferedImage render(BufferedImage xray, Prediction prediction) {
        if (prediction.heatmap() == null) {
            throw new IllegalArgumentException("prediction has no heatmap");
        }
        BufferedImage gray = ImageDecoder.grayPreview(xray, MAX_SIDE);
        int w = gray.getWidth();
        int h = gray.getHeight();
        Heatmap map = prediction.heatmap();
        float[] heat = Resampler.resize(map.values(), map.width(), map.height(), w, h);
        int legend = 120;
        int caption = 46; // two lines, so the caption fits beside a 224-pixel image too
        BufferedImage out = new BufferedImage(w + legend, h + caption, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = gray.getRaster().getSample(x, y, 0);
                double v = Math.max(0, Math.min(1, heat[y * w + x]));
                Color c = colour(v);
                double alpha = 0.6 * v;
                int r = (int) Math.round((1 - alpha) * g + alpha * c.getRed());
                int gg = (int) Math.round((1 - alpha) * g + alpha * c.getGreen());
                int b = (int) Math.round((1 - alpha) * g + alpha * c.getBlue());
                out.setRGB(x, y, (r << 16) | (gg << 8) | b);
            }
        }
        Graphics2D g2 = out.createGraphics();
        try {
            g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g2.setColor(Color.WHITE);
            g2.fillRect(w, 0, legend, h + caption);
            g2.fillRect(0, h, w, caption);
            int barX = w + 16;
            int barTop = 30;
            int barHeight = Math.max(40, h - 60);
            for (int y = 0; y < barHeight; y++) {
                g2.setColor(colour(1 - (double) y / (barHeight - 1)));
                g2.fillRect(barX, barTop + y, 18, 1);
            }
            g2.setColor(Color.DARK_GRAY);
            g2.setStroke(new BasicStroke(1f));
            g2.drawRect(barX, barTop, 18, barHeight);
            g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g2.drawString("Grad-CAM", barX - 4, 18);
            g2.drawString("high", barX + 24, barTop + 10);
            g2.drawString("low", barX + 24, barTop + barHeight);
            g2.drawString("evidence for", barX - 4, barTop + barHeight + 16);
            g2.drawString("pneumonia", barX - 4, barTop + barHeight + 29);
            g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g2.setColor(Color.BLACK);
            g2.drawString(String.format(Locale.ROOT, "%s  P(pneumonia) = %.3f", prediction.label(),
                    prediction.probability()), 8, h + 18);
            g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g2.drawString(String.format(Locale.ROOT, "threshold %.3f", prediction.threshold()), 8, h + 37);
        } finally {
            g2.dispose();
        }
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
