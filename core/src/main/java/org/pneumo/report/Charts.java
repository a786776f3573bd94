package org.pneumo.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
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
    private static final Color BLUE = new Color(31, 119, 180);
    private static final Color ORANGE = new Color(255, 127, 14);
    private static final Color GREEN = new Color(44, 160, 44);
    private static final Color GRAY = new Color(128, 128, 128);

    private Charts() {}

    /** PNG bytes of a chart. */
    public static byte[] png(JFreeChart chart, int width, int height) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(out, chart, width, height);
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
        long[][] counts = m.asArray();
        long max = Math.max(1, Math.max(Math.max(counts[0][0], counts[0][1]), Math.max(counts[1][0], counts[1][1])));
        DefaultXYZDataset data = new DefaultXYZDataset();
        double[] x = new double[4];
        double[] y = new double[4];
        double[] z = new double[4];
        int k = 0;
        for (int actual = 0; actual < 2; actual++) {
            for (int predicted = 0; predicted < 2; predicted++) {
                x[k] = predicted;
                y[k] = actual;
                z[k] = counts[actual][predicted];
                k++;
            }
        }
        data.addSeries("counts", new double[][] {x, y, z});
        LookupPaintScale scale = new LookupPaintScale(0, max + 1, Color.WHITE);
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
            String text = String.format(Locale.ROOT, "%d (%.1f%%)", (long) z[i], 100.0 * z[i] / total);
            XYTextAnnotation a = new XYTextAnnotation(text, x[i], y[i]);
            a.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
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
        return xyChart("ROC curve", "False positive rate (1 - specificity)", "True positive rate (sensitivity)",
                data, new Color[] {BLUE, GRAY, ORANGE}, new boolean[] {true, true, false},
                new boolean[] {false, false, true});
    }

    /** The precision-recall curve with the prevalence baseline and the operating point. */
    public static JFreeChart precisionRecall(Curves.PrecisionRecall pr, Figure averagePrecision, double prevalence,
            double operatingRecall, double operatingPrecision) {
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
        return xyChart("Precision-recall curve", "Recall (sensitivity)", "Precision (PPV)", data,
                new Color[] {BLUE, GRAY, ORANGE}, new boolean[] {true, true, false}, new boolean[] {false, false, true});
    }

    /** The reliability diagram: observed share of PNEUMONIA against mean predicted probability per bin. */
    public static JFreeChart calibration(Curves.Calibration c) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries curve = new XYSeries("model (10 equal-width bins)", false, true);
        for (int i = 0; i < c.meanPredicted().length; i++) {
            curve.add(c.meanPredicted()[i], c.fractionPositive()[i]);
        }
        data.addSeries(curve);
        data.addSeries(line("perfectly calibrated", 0, 0, 1, 1));
        return xyChart("Calibration (reliability)", "Mean predicted probability of pneumonia",
                "Observed share of PNEUMONIA", data, new Color[] {BLUE, GRAY}, new boolean[] {true, true},
                new boolean[] {true, false});
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

    /** A unit-square chart; per series its colour, whether it is drawn as a line, and whether points are marked. */
    private static JFreeChart xyChart(String title, String xLabel, String yLabel, XYSeriesCollection data,
            Color[] colours, boolean[] lines, boolean[] markers) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        for (int i = 0; i < colours.length; i++) {
            r.setSeriesPaint(i, colours[i]);
            r.setSeriesLinesVisible(i, lines[i]);
            r.setSeriesShapesVisible(i, markers[i]);
            r.setSeriesStroke(i, colours[i] == GRAY
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f)
                    : new BasicStroke(2.5f));
        }
        NumberAxis x = new NumberAxis(xLabel);
        NumberAxis y = new NumberAxis(yLabel);
        x.setRange(-0.01, 1.01);
        y.setRange(-0.01, 1.01);
        XYPlot plot = new XYPlot(data, x, y, r);
        style(plot);
        JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 6, 6, 12));
        return chart;
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
