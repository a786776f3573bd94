package org.pneumo.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.pneumo.eval.ConfusionMatrix;
import org.pneumo.eval.Curves;
import org.pneumo.eval.Figure;
import org.pneumo.train.EpochRecord;

/** The evaluation pictures, drawn headless with JFreeChart and returned as PNG bytes. */
public final class Charts {
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final Color BLUE = new Color(31, 119, 180);
    private static final Color ORANGE = new Color(255, 127, 14);
    private static final Color GREEN = new Color(44, 160, 44);
    private static final Color GRAY = new Color(128, 128, 128);

    private Charts() {}

    /** Pixels per layout pixel: pictures are drawn at twice their size so they stay sharp on high-density screens. */
    public static final int SCALE = 2;

    /** PNG bytes of a chart laid out at {@code width x height}, drawn at {@link #SCALE} times that. */
    public static byte[] png(JFreeChart chart, int width, int height) {
        return png(width, height, g -> chart.draw(g, new Rectangle2D.Double(0, 0, width, height)));
    }

    /** Two charts side by side, each {@code width x height}. */
    public static byte[] pngSideBySide(JFreeChart left, JFreeChart right, int width, int height) {
        return png(2 * width, height, g -> {
            left.draw(g, new Rectangle2D.Double(0, 0, width, height));
            right.draw(g, new Rectangle2D.Double(width, 0, width, height));
        });
    }

    /**
     * A chart with a zoomed copy drawn over part of it ({@code inset}: x, y, width, height as shares of the picture),
     * for curves that hug a corner.
     */
    public static byte[] pngWithInset(JFreeChart chart, JFreeChart zoom, double[] inset, int width, int height) {
        return png(width, height, g -> {
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
            Rectangle2D.Double r = new Rectangle2D.Double(inset[0] * width, inset[1] * height, inset[2] * width,
                    inset[3] * height);
            zoom.draw(g, r);
            g.setColor(GRAY);
            g.setStroke(new BasicStroke(1f));
            g.draw(r);
        });
    }

    /** PNG bytes of whatever {@code painter} draws on a white {@code width x height} canvas, at {@link #SCALE}. */
    static byte[] png(int width, int height, java.util.function.Consumer<Graphics2D> painter) {
        BufferedImage image = new BufferedImage(width * SCALE, height * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width * SCALE, height * SCALE);
            g.scale(SCALE, SCALE);
            painter.accept(g);
        } finally {
            g.dispose();
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeBufferedImageAsPNG(out, image);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The confusion matrix as an annotated heatmap in a sequential blue colour map, like seaborn's: rows actual
     * NORMAL, PNEUMONIA (top to bottom), columns predicted.
     */
    public static JFreeChart confusionMatrix(ConfusionMatrix m, String title) {
        return confusionMatrix(m, title, false);
    }

    /**
     * The confusion matrix as counts (shares of all images in brackets), or, {@code rowRates}, normalised per actual
     * class: each row sums to 100%, so the diagonal reads as specificity and sensitivity whatever the class balance.
     */
    public static JFreeChart confusionMatrix(ConfusionMatrix m, String title, boolean rowRates) {
        long[][] counts = m.asArray();
        double[][] shown = new double[2][2];
        for (int a = 0; a < 2; a++) {
            long row = counts[a][0] + counts[a][1];
            for (int p = 0; p < 2; p++) {
                shown[a][p] = rowRates ? (row == 0 ? 0 : (double) counts[a][p] / row) : counts[a][p];
            }
        }
        double max = rowRates ? 1 : Math.max(1, Math.max(Math.max(counts[0][0], counts[0][1]),
                Math.max(counts[1][0], counts[1][1])));
        DefaultXYZDataset data = new DefaultXYZDataset();
        double[] x = new double[4];
        double[] y = new double[4];
        double[] z = new double[4];
        int k = 0;
        for (int actual = 0; actual < 2; actual++) {
            for (int predicted = 0; predicted < 2; predicted++) {
                x[k] = predicted;
                y[k] = actual;
                z[k] = shown[actual][predicted];
                k++;
            }
        }
        data.addSeries("counts", new double[][] {x, y, z});
        LookupPaintScale scale = new LookupPaintScale(0, max * 1.01 + 1e-9, Color.WHITE);
        for (int i = 0; i <= 100; i++) {
            scale.add(max * i / 100.0, blues(i / 100.0));
        }
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        SymbolAxis predictedAxis = new SymbolAxis("Predicted", new String[] {"NORMAL", "PNEUMONIA"});
        SymbolAxis actualAxis = new SymbolAxis("Actual", new String[] {"NORMAL", "PNEUMONIA"});
        actualAxis.setInverted(true);
        for (SymbolAxis axis : new SymbolAxis[] {predictedAxis, actualAxis}) {
            axis.setGridBandsVisible(false);
            axis.setLabelFont(LABEL);
            axis.setTickLabelFont(LABEL);
            axis.setRange(-0.5, 1.5);
        }
        XYPlot plot = new XYPlot(data, predictedAxis, actualAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        long total = Math.max(1, m.total());
        for (int i = 0; i < 4; i++) {
            long count = counts[(int) y[i]][(int) x[i]];
            long row = counts[(int) y[i]][0] + counts[(int) y[i]][1];
            String text = rowRates ? String.format(Locale.ROOT, "%.1f%% (%d of %d)", 100 * z[i], count, row)
                    : String.format(Locale.ROOT, "%d (%.1f%%)", count, 100.0 * count / total);
            XYTextAnnotation a = new XYTextAnnotation(text, x[i], y[i]);
            a.setFont(new Font(Font.SANS_SERIF, Font.BOLD, rowRates ? 15 : 18));
            a.setPaint(z[i] / max > 0.55 ? Color.WHITE : Color.BLACK);
            plot.addAnnotation(a);
        }
        JFreeChart chart = new JFreeChart(title, TITLE, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** A sequential blue ramp from near white (0) to dark blue (1), like matplotlib's "Blues". */
    static Paint blues(double t) {
        double[][] stops = {{247, 251, 255}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107}};
        double p = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(p));
        double f = p - i;
        return new Color((int) Math.round(stops[i][0] + f * (stops[i + 1][0] - stops[i][0])),
                (int) Math.round(stops[i][1] + f * (stops[i + 1][1] - stops[i][1])),
                (int) Math.round(stops[i][2] + f * (stops[i + 1][2] - stops[i][2])));
    }

    /** The ROC curve with the chance diagonal and the operating point. */
    public static JFreeChart roc(Curves.Roc roc, Figure auc, double operatingFpr, double operatingTpr) {
        return roc(roc, auc, operatingFpr, operatingTpr, Double.NaN, null);
    }

    /**
     * The ROC curve; {@code threshold} labels the operating point; {@code zoom} ({xMin, xMax, yMin, yMax}) draws the
     * compact zoomed copy used as an inset (no title, no legend).
     */
    public static JFreeChart roc(Curves.Roc roc, Figure auc, double operatingFpr, double operatingTpr,
            double threshold, double[] zoom) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries curve = new XYSeries("ROC (AUC " + auc.format(4) + ")", false, true);
        for (int i = 0; i < roc.fpr().length; i++) {
            curve.add(roc.fpr()[i], roc.tpr()[i]);
        }
        data.addSeries(curve);
        data.addSeries(line("chance", 0, 0, 1, 1));
        XYSeries point = new XYSeries("operating threshold", false, true);
        if (!Double.isNaN(operatingFpr) && !Double.isNaN(operatingTpr)) {
            point.add(operatingFpr, operatingTpr);
        }
        data.addSeries(point);
        JFreeChart chart = xyChart(zoom == null ? "ROC curve" : null,
                zoom == null ? "False positive rate (1 - specificity)" : "zoom",
                zoom == null ? "True positive rate (sensitivity)" : null, data, new Color[] {BLUE, GRAY, ORANGE},
                new boolean[] {true, true, false}, new boolean[] {false, false, true}, zoom);
        labelOperatingPoint(chart, operatingFpr, operatingTpr, threshold, zoom);
        return chart;
    }

    /** The operating point's label: its threshold, placed inside the plot. */
    private static void labelOperatingPoint(JFreeChart chart, double x, double y, double threshold, double[] zoom) {
        if (Double.isNaN(threshold) || Double.isNaN(x) || Double.isNaN(y)) {
            return;
        }
        XYPlot plot = chart.getXYPlot();
        double xMin = zoom == null ? 0 : zoom[0];
        double xMax = zoom == null ? 1 : zoom[1];
        double yMin = zoom == null ? 0 : zoom[2];
        double yMax = zoom == null ? 1 : zoom[3];
        if (x < xMin || x > xMax || y < yMin || y > yMax) {
            return;
        }
        boolean right = x < (xMin + xMax) / 2;
        double dy = (yMax - yMin) * 0.07;
        XYTextAnnotation a = new XYTextAnnotation(String.format(Locale.ROOT, "threshold %.3f", threshold),
                x + (right ? 1 : -1) * (xMax - xMin) * 0.03, y - dy > yMin + dy ? y - dy : y + dy);
        a.setFont(new Font(Font.SANS_SERIF, Font.BOLD, zoom == null ? 12 : 11));
        a.setPaint(ORANGE.darker());
        a.setTextAnchor(right ? org.jfree.chart.ui.TextAnchor.CENTER_LEFT : org.jfree.chart.ui.TextAnchor.CENTER_RIGHT);
        plot.addAnnotation(a);
    }

    /** The precision-recall curve with the prevalence baseline and the operating point. */
    public static JFreeChart precisionRecall(Curves.PrecisionRecall pr, Figure averagePrecision, double prevalence,
            double operatingRecall, double operatingPrecision) {
        return precisionRecall(pr, averagePrecision, prevalence, operatingRecall, operatingPrecision, Double.NaN, null);
    }

    /** The precision-recall curve; {@code threshold} and {@code zoom} as for {@link #roc}. */
    public static JFreeChart precisionRecall(Curves.PrecisionRecall pr, Figure averagePrecision, double prevalence,
            double operatingRecall, double operatingPrecision, double threshold, double[] zoom) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries curve = new XYSeries("PR (average precision " + averagePrecision.format(4) + ")", false, true);
        for (int i = 0; i < pr.recall().length; i++) {
            curve.add(pr.recall()[i], pr.precision()[i]);
        }
        data.addSeries(curve);
        data.addSeries(line(String.format(Locale.ROOT, "prevalence %.3f", prevalence), 0, prevalence, 1,
                prevalence));
        XYSeries point = new XYSeries("operating threshold", false, true);
        if (!Double.isNaN(operatingRecall) && !Double.isNaN(operatingPrecision)) {
            point.add(operatingRecall, operatingPrecision);
        }
        data.addSeries(point);
        JFreeChart chart = xyChart(zoom == null ? "Precision-recall curve" : null,
                zoom == null ? "Recall (sensitivity)" : "zoom", zoom == null ? "Precision (PPV)" : null, data,
                new Color[] {BLUE, GRAY, ORANGE}, new boolean[] {true, true, false}, new boolean[] {false, false, true},
                zoom);
        labelOperatingPoint(chart, operatingRecall, operatingPrecision, threshold, zoom);
        return chart;
    }

    /** Bins with fewer images than this are drawn grey: their observed share is too uncertain to read. */
    public static final int SPARSE_BIN = 10;

    /**
     * The reliability diagram (observed share of PNEUMONIA against mean predicted probability per bin) over a
     * histogram of how many images each bin holds; bins with fewer than {@link #SPARSE_BIN} images are grey.
     */
    public static JFreeChart calibration(Curves.Calibration c) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries curve = new XYSeries("bins with " + SPARSE_BIN + "+ images", false, true);
        XYSeries sparse = new XYSeries("bins with fewer (unreliable)", false, true);
        XYSeriesCollection histogram = new XYSeriesCollection();
        XYSeries counts = new XYSeries("images per bin", false, true);
        for (int i = 0; i < c.meanPredicted().length; i++) {
            (c.counts()[i] >= SPARSE_BIN ? curve : sparse).add(c.meanPredicted()[i], c.fractionPositive()[i]);
            counts.add(c.meanPredicted()[i], c.counts()[i]);
        }
        data.addSeries(curve);
        data.addSeries(line("perfectly calibrated", 0, 0, 1, 1));
        data.addSeries(sparse);
        histogram.addSeries(counts);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        Color light = new Color(190, 190, 190);
        Color[] colours = {BLUE, GRAY, light};
        for (int i = 0; i < 3; i++) {
            r.setSeriesPaint(i, colours[i]);
            r.setSeriesLinesVisible(i, i < 2);
            r.setSeriesShapesVisible(i, i != 1);
            r.setSeriesStroke(i, i == 1 ? dashed() : new BasicStroke(2.5f));
        }
        NumberAxis share = unitAxis("Observed share of PNEUMONIA", null);
        XYPlot top = new XYPlot(data, null, share, r);
        style(top);
        org.jfree.chart.renderer.xy.XYBarRenderer bars = new org.jfree.chart.renderer.xy.XYBarRenderer(0.15);
        bars.setSeriesPaint(0, new Color(107, 174, 214));
        bars.setShadowVisible(false);
        bars.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        NumberAxis countAxis = new NumberAxis("Images");
        countAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot bottom = new XYPlot(new org.jfree.data.xy.XYBarDataset(histogram, 0.08), null, countAxis, bars);
        style(bottom);
        NumberAxis predicted = unitAxis("Mean predicted probability of pneumonia (10 equal-width bins)", null);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(predicted);
        plot.setGap(8);
        plot.add(top, 3);
        plot.add(bottom, 1);
        JFreeChart chart = new JFreeChart("Calibration (reliability)", TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Loss, and accuracy with validation AUC, per epoch, on one shared epoch axis. */
    public static JFreeChart trainingCurves(List<EpochRecord> history) {
        XYSeriesCollection loss = new XYSeriesCollection();
        XYSeries trainLoss = new XYSeries("train loss");
        XYSeries valLoss = new XYSeries("validation loss");
        XYSeriesCollection quality = new XYSeriesCollection();
        XYSeries trainAcc = new XYSeries("train accuracy");
        XYSeries valAcc = new XYSeries("validation accuracy (0.5)");
        XYSeries valAuc = new XYSeries("validation ROC AUC");
        for (EpochRecord e : history) {
            trainLoss.add(e.epoch(), e.trainLoss());
            valLoss.add(e.epoch(), e.valLoss());
            trainAcc.add(e.epoch(), e.trainAccuracy());
            valAcc.add(e.epoch(), e.valAccuracy());
            if (!Double.isNaN(e.valAuc())) {
                valAuc.add(e.epoch(), e.valAuc());
            }
        }
        loss.addSeries(trainLoss);
        loss.addSeries(valLoss);
        quality.addSeries(trainAcc);
        quality.addSeries(valAcc);
        quality.addSeries(valAuc);
        NumberAxis epochs = new NumberAxis("Epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        // Half an epoch of room at both ends, so a one-epoch history shows its points instead of clipping them.
        epochs.setRange(history.get(0).epoch() - 0.5, history.get(history.size() - 1).epoch() + 0.5);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        plot.setGap(12);
        plot.add(subplot(loss, "Loss (class-weighted)", new Color[] {BLUE, ORANGE}), 1);
        plot.add(subplot(quality, "Accuracy / AUC", new Color[] {BLUE, ORANGE, GREEN}), 1);
        JFreeChart chart = new JFreeChart("Training curves", TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static XYPlot subplot(XYSeriesCollection data, String label, Color[] colours) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < colours.length; i++) {
            r.setSeriesPaint(i, colours[i]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        XYPlot p = new XYPlot(data, null, axis, r);
        style(p);
        return p;
    }

    private static XYSeries line(String name, double x0, double y0, double x1, double y1) {
        XYSeries s = new XYSeries(name, false, true);
        s.add(x0, y0);
        s.add(x1, y1);
        return s;
    }

    /**
     * A unit-square chart (or the {@code zoom} window {xMin, xMax, yMin, yMax}, drawn compact: no title or legend);
     * per series its colour, whether it is drawn as a line, and whether points are marked.
     */
    private static JFreeChart xyChart(String title, String xLabel, String yLabel, XYSeriesCollection data,
            Color[] colours, boolean[] lines, boolean[] markers, double[] zoom) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        for (int i = 0; i < colours.length; i++) {
            r.setSeriesPaint(i, colours[i]);
            r.setSeriesLinesVisible(i, lines[i]);
            r.setSeriesShapesVisible(i, markers[i]);
            r.setSeriesStroke(i, colours[i] == GRAY ? dashed() : new BasicStroke(2.5f));
        }
        NumberAxis x = unitAxis(xLabel, zoom == null ? null : new double[] {zoom[0], zoom[1]});
        NumberAxis y = unitAxis(yLabel, zoom == null ? null : new double[] {zoom[2], zoom[3]});
        XYPlot plot = new XYPlot(data, x, y, r);
        style(plot);
        JFreeChart chart = new JFreeChart(title, TITLE, plot, zoom == null);
        if (zoom != null) {
            x.setTickLabelFont(SMALL);
            y.setTickLabelFont(SMALL);
            x.setLabelFont(SMALL);
            chart.setTitle((TextTitle) null);
        }
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 6, 6, 12));
        return chart;
    }

    /** An axis over [0, 1] (or {@code range}) with ticks every 0.2 (or five ticks over the range). */
    private static NumberAxis unitAxis(String label, double[] range) {
        NumberAxis axis = new NumberAxis(label);
        double low = range == null ? 0 : range[0];
        double high = range == null ? 1 : range[1];
        double pad = (high - low) * 0.01;
        axis.setRange(low - pad, high + pad);
        axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(range == null ? 0.2 : niceStep((high - low) / 4)));
        return axis;
    }

    private static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static BasicStroke dashed() {
        return new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f);
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        if (plot.getDomainAxis() != null) { // a subplot shares its parent's axis
            plot.getDomainAxis().setLabelFont(LABEL);
        }
        plot.getRangeAxis().setLabelFont(LABEL);
    }
}
