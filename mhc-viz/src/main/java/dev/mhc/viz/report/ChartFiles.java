package dev.mhc.viz.report;

import dev.mhc.core.io.AtomicFiles;
import java.awt.Rectangle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/** A chart as PNG bytes and as an SVG document, and both written next to each other. */
public final class ChartFiles {

    public static final int WIDTH = 900;
    public static final int HEIGHT = 480;

    private ChartFiles() {}

    public static byte[] png(JFreeChart chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        return out.toByteArray();
    }

    public static String svg(JFreeChart chart) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g.getSVGDocument();
    }

    /** Writes {@code name.png} and {@code name.svg} into {@code dir}; @return the PNG bytes */
    public static byte[] write(JFreeChart chart, Path dir, String name) throws IOException {
        byte[] png = png(chart);
        AtomicFiles.write(dir.resolve(name + ".png"), png);
        AtomicFiles.write(dir.resolve(name + ".svg"), svg(chart).getBytes(StandardCharsets.UTF_8));
        return png;
    }
}
