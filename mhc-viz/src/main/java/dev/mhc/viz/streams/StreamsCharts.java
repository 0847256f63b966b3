package dev.mhc.viz.streams;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;

/** The streams report's charts: the residual matrices side by side, and the figures over depth. */
final class StreamsCharts {

    private StreamsCharts() {}

    /** Every branch's n x n matrix in a row of blocks (columns: branch, then the source stream). */
    static JFreeChart matrices(ResidualMatrices matrices) {
        List<ResidualMatrices.Branch> branches = matrices.branches();
        int n = matrices.settings().streams();
        double[][] series = new double[3][branches.size() * n * n];
        double max = 1e-9;
        int at = 0;
        for (int b = 0; b < branches.size(); b++) {
            double[][] m = branches.get(b).matrix();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    series[0][at] = b * (n + 1) + j;
                    series[1][at] = i;
                    series[2][at] = Math.abs(m[i][j]);
                    max = Math.max(max, Math.abs(m[i][j]));
                    at++;
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("residual matrices", series);
        NumberAxis columns = new NumberAxis("branch, in depth order (each block: from stream j, columns)");
        columns.setRange(-0.5, branches.size() * (n + 1) - 1.5);
        columns.setTickLabelsVisible(false);
        String[] rows = new String[n];
        for (int i = 0; i < n; i++) {
            rows[i] = "to stream " + i;
        }
        SymbolAxis rowAxis = new SymbolAxis("", rows);
        rowAxis.setInverted(true);
        double top = Math.max(1, max);
        LookupPaintScale scale = new LookupPaintScale(0, top * 1.0001, Color.WHITE);
        for (int s = 0; s <= 20; s++) {
            float v = s / 20f;
            scale.add(v * top, new Color(1 - 0.85f * v, 1 - 0.55f * v, 1 - 0.15f * v));
        }
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        JFreeChart chart = new JFreeChart("Residual matrices |M|, " + matrices.settings().variant() + ", n = " + n,
                new XYPlot(data, columns, rowAxis, renderer));
        chart.removeLegend();
        NumberAxis legendAxis = new NumberAxis("|entry|");
        legendAxis.setRange(0, top);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Composite gain and homogenisation after each branch. */
    static JFreeChart overDepth(StreamsAnalysis analysis) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int k = 0; k < analysis.branches().size(); k++) {
            StreamsAnalysis.Figures f = analysis.branches().get(k);
            String at = Integer.toString(k + 1);
            data.addValue(Math.log10(f.gain()), "log10 composite gain", at);
            data.addValue(f.homogenisation(), "homogenisation", at);
        }
        JFreeChart chart = ChartFactory.createLineChart("The residual path over depth", "branches so far",
                "value", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        LineAndShapeRenderer renderer = (LineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultShapesVisible(true);
        renderer.setDefaultStroke(new BasicStroke(2f));
        renderer.setAutoPopulateSeriesStroke(false);
        chart.setBackgroundPaint(Color.WHITE);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlineVisible(false);
        return chart;
    }
}
