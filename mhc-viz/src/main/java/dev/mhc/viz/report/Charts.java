package dev.mhc.viz.report;

import dev.mhc.viz.LayerMixing;
import dev.mhc.viz.MixingSnapshot;
import dev.mhc.viz.analytics.Analysis;
import dev.mhc.viz.analytics.LayerFigures;
import dev.mhc.viz.analytics.Trajectory;
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
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;

/** The report's charts, drawn with JFreeChart. */
public final class Charts {

    private Charts() {}

    /** Layers (rows) by offsets (columns), colour = coefficient. */
    public static JFreeChart heatmap(MixingSnapshot snapshot) {
        List<LayerMixing> layers = snapshot.layers();
        int h = snapshot.maxHistory();
        double[][] series = new double[3][layers.size() * h];
        int at = 0;
        for (int i = 0; i < layers.size(); i++) {
            for (int k = 0; k < h; k++) {
                series[0][at] = k;
                series[1][at] = i;
                series[2][at] = layers.get(i).coefficients()[k];
                at++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("coefficients", series);
        NumberAxis offsets = new NumberAxis("offset (0 = the layer's own input)");
        offsets.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        offsets.setRange(-0.5, h - 0.5);
        SymbolAxis rows = new SymbolAxis("layer", layers.stream().map(LayerMixing::path).toArray(String[]::new));
        rows.setInverted(true);
        LookupPaintScale scale = new LookupPaintScale(0, 1.0001, Color.WHITE);
        for (int s = 0; s <= 20; s++) {
            float v = s / 20f;
            scale.add(v, new Color(1 - 0.85f * v, 1 - 0.55f * v, 1 - 0.15f * v));
        }
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, offsets, rows, renderer);
        JFreeChart chart = new JFreeChart("Mixing coefficients: " + snapshot.label(), plot);
        chart.removeLegend();
        NumberAxis legendAxis = new NumberAxis("coefficient");
        legendAxis.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Mass at offsets >= 2 per layer. */
    public static JFreeChart longRange(Analysis analysis) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (LayerFigures f : analysis.layers()) {
            data.addValue(f.longRange(), "long-range reliance", f.path());
        }
        return bars("Long-range reliance per layer (mass at offsets >= 2)", "share", data);
    }

    /** L1 drift from initialisation per layer. */
    public static JFreeChart drift(Analysis analysis) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (LayerFigures f : analysis.layers()) {
            data.addValue(f.driftL1(), "L1 drift", f.path());
        }
        return bars("Drift from initialisation per layer (L1)", "L1 distance", data);
    }

    /** Long-range reliance of each layer over the snapshots. */
    public static JFreeChart trajectory(Trajectory trajectory) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int s = 0; s < trajectory.labels().size(); s++) {
            for (LayerFigures f : trajectory.analyses().get(s).layers()) {
                data.addValue(f.longRange(), f.path(), trajectory.labels().get(s));
            }
        }
        JFreeChart chart = ChartFactory.createLineChart("Long-range reliance over checkpoints", "checkpoint",
                "share", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        LineAndShapeRenderer renderer = (LineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultShapesVisible(true);
        renderer.setDefaultStroke(new java.awt.BasicStroke(2f));
        renderer.setAutoPopulateSeriesStroke(false);
        for (int series = 0; series < data.getRowCount(); series++) {
            renderer.setSeriesPaint(series, LINES[series % LINES.length]);
        }
        plain(chart, plot);
        return chart;
    }

    /** Tableau's ten colours: all readable on white (JFreeChart's defaults include a pale yellow). */
    private static final Color[] LINES = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC), new Color(0xEDC948).darker(),
    };

    private static final Color BAR = new Color(0x3B, 0x6F, 0xC9);
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);

    private static JFreeChart bars(String title, String unit, DefaultCategoryDataset data) {
        JFreeChart chart = ChartFactory.createBarChart(title, "layer", unit, data, PlotOrientation.VERTICAL,
                false, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, BAR);
        plain(chart, plot);
        return chart;
    }

    /** White background, light grid: the default grey plot area reads poorly in a report. */
    private static void plain(JFreeChart chart, CategoryPlot plot) {
        chart.setBackgroundPaint(Color.WHITE);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlineVisible(false);
    }
}
