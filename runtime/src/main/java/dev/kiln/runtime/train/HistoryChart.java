package dev.kiln.runtime.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link History} as SVG line charts, TensorBoard's scalars without TensorBoard: one chart
 * ({@code <g class="chart">}) per metric, its training values and its {@code val_} twin as two polylines (one point
 * per epoch), with axes, ticks, a legend and the best epoch marked (the lowest loss or error, the highest of anything
 * else; on the validation line when there is one). Written by hand: no dependency, no script, no timestamps.
 */
final class HistoryChart {
    static final double WIDTH = 400;
    static final double HEIGHT = 250;
    private static final double LEFT = 62;
    private static final double RIGHT = 16;
    private static final double TOP = 40;
    private static final double BOTTOM = 40;
    private static final int COLUMNS = 2;
    private static final String TRAIN = "#1f77b4";
    private static final String VAL = "#ff7f0e";

    private HistoryChart() {
    }

    /** All charts in one SVG, two to a row. */
    static String render(History history) {
        Map<String, List<String>> charts = charts(history);
        int rows = Math.max(1, (charts.size() + COLUMNS - 1) / COLUMNS);
        int columns = Math.max(1, Math.min(COLUMNS, charts.size()));
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kiln-history\" width=\"")
                .append(num(columns * WIDTH)).append("\" height=\"").append(num(rows * HEIGHT))
                .append("\" viewBox=\"0 0 ").append(num(columns * WIDTH)).append(' ').append(num(rows * HEIGHT))
                .append("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"11\">\n");
        int k = 0;
        for (Map.Entry<String, List<String>> c : charts.entrySet()) {
            chart(svg, history, c.getKey(), c.getValue(), (k % COLUMNS) * WIDTH, (k / COLUMNS) * HEIGHT);
            k++;
        }
        if (charts.isEmpty()) {
            svg.append("<text x=\"20\" y=\"30\">no epoch logged yet</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    /** Metric name to the logged names drawn in its chart: {@code loss -> [loss, val_loss]}. */
    static Map<String, List<String>> charts(History history) {
        Map<String, List<String>> charts = new LinkedHashMap<>();
        for (String name : history.keys()) {
            String metric = name.startsWith("val_") ? name.substring(4) : name;
            charts.computeIfAbsent(metric, m -> new ArrayList<>()).add(name);
        }
        return charts;
    }

    private static void chart(StringBuilder svg, History history, String metric, List<String> names, double ox,
            double oy) {
        List<Integer> epochs = history.epochs();
        int n = epochs.size();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (String name : names) {
            for (double v : history.get(name)) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        double[] ticks = ticks(lo, hi);
        double y0 = ticks[0];
        double y1 = ticks[ticks.length - 1];
        int e0 = n == 0 ? 1 : epochs.get(0) + 1;
        int e1 = n == 0 ? 1 : epochs.get(n - 1) + 1;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double px = ox + LEFT;
        double py = oy + TOP;
        java.util.function.DoubleUnaryOperator sx = e -> e1 == e0 ? px + plotW / 2 : px + (e - e0) / (e1 - e0) * plotW;
        java.util.function.DoubleUnaryOperator sy = v -> py + plotH - (v - y0) / (y1 - y0) * plotH;

        svg.append("<g class=\"chart\" data-metric=\"").append(esc(metric)).append("\">\n");
        svg.append("<text x=\"").append(num(px)).append("\" y=\"").append(num(oy + 18))
                .append("\" font-size=\"13\" font-weight=\"bold\">").append(esc(metric)).append("</text>\n");
        // axes and grid
        svg.append("<g class=\"axis y\" stroke=\"#ddd\">");
        for (double t : ticks) {
            double y = sy.applyAsDouble(t);
            svg.append("<line x1=\"").append(num(px)).append("\" y1=\"").append(num(y)).append("\" x2=\"")
                    .append(num(px + plotW)).append("\" y2=\"").append(num(y)).append("\"/>");
            svg.append("<text x=\"").append(num(px - 6)).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\" stroke=\"none\" fill=\"#333\">").append(tick(t, ticks))
                    .append("</text>");
        }
        svg.append("</g>\n<g class=\"axis x\" stroke=\"#333\">");
        int step = 1; // 1, 2, 5, 10, 20, 50, ... epochs apart, at most 10 ticks
        for (int k = 0; (e1 - e0) / step >= 10; k++) {
            step = new int[] {2, 5, 10}[k % 3] * (int) Math.pow(10, k / 3);
        }
        for (int e = e0; e <= e1; e = step == 1 || e % step == 0 ? e + step : (e / step + 1) * step) {
            double x = sx.applyAsDouble(e);
            svg.append("<line x1=\"").append(num(x)).append("\" y1=\"").append(num(py + plotH)).append("\" x2=\"")
                    .append(num(x)).append("\" y2=\"").append(num(py + plotH + 4)).append("\"/>");
            svg.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(py + plotH + 16))
                    .append("\" text-anchor=\"middle\" stroke=\"none\" fill=\"#333\">").append(e).append("</text>");
        }
        svg.append("<line x1=\"").append(num(px)).append("\" y1=\"").append(num(py + plotH)).append("\" x2=\"")
                .append(num(px + plotW)).append("\" y2=\"").append(num(py + plotH)).append("\"/>");
        svg.append("<line x1=\"").append(num(px)).append("\" y1=\"").append(num(py)).append("\" x2=\"")
                .append(num(px)).append("\" y2=\"").append(num(py + plotH)).append("\"/>");
        svg.append("<text x=\"").append(num(px + plotW / 2)).append("\" y=\"").append(num(py + plotH + 32))
                .append("\" text-anchor=\"middle\" stroke=\"none\" fill=\"#333\">epoch</text></g>\n");

        // one line per logged name, then the best epoch of the last (validation when present)
        String best = names.get(names.size() - 1);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            boolean val = name.startsWith("val_");
            List<Double> values = history.get(name);
            svg.append("<polyline class=\"series\" data-name=\"").append(esc(name)).append("\" fill=\"none\" stroke=\"")
                    .append(val ? VAL : TRAIN).append("\" stroke-width=\"2\"")
                    .append(val ? " stroke-dasharray=\"6,3\"" : "").append(" points=\"");
            for (int k = 0; k < n; k++) {
                double v = values.get(k);
                if (Double.isFinite(v)) {
                    svg.append(k == 0 ? "" : " ").append(num(sx.applyAsDouble(epochs.get(k) + 1))).append(',')
                            .append(num(sy.applyAsDouble(v)));
                }
            }
            svg.append("\"/>\n");
            double lx = px + plotW - 150 + i * 80;
            svg.append("<g class=\"legend\"><line x1=\"").append(num(lx)).append("\" y1=\"").append(num(oy + 14))
                    .append("\" x2=\"").append(num(lx + 18)).append("\" y2=\"").append(num(oy + 14))
                    .append("\" stroke=\"").append(val ? VAL : TRAIN).append("\" stroke-width=\"2\"")
                    .append(val ? " stroke-dasharray=\"6,3\"" : "").append("/><text x=\"").append(num(lx + 22))
                    .append("\" y=\"").append(num(oy + 18)).append("\">").append(val ? "validation" : "training")
                    .append("</text></g>\n");
        }
        int at = bestIndex(metric, history.get(best));
        if (at >= 0) {
            double v = history.get(best).get(at);
            double x = sx.applyAsDouble(epochs.get(at) + 1);
            double y = sy.applyAsDouble(v);
            boolean leftSide = x > px + plotW * 0.6;
            svg.append("<g class=\"best\" data-epoch=\"").append(epochs.get(at) + 1).append("\"><line x1=\"")
                    .append(num(x)).append("\" y1=\"").append(num(py)).append("\" x2=\"").append(num(x))
                    .append("\" y2=\"").append(num(py + plotH))
                    .append("\" stroke=\"#2ca02c\" stroke-dasharray=\"2,3\"/>")
                    .append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y))
                    .append("\" r=\"4\" fill=\"#2ca02c\"/><text x=\"").append(num(leftSide ? x - 6 : x + 6))
                    .append("\" y=\"").append(num(y < py + plotH / 2 ? py + plotH - 6 : py + 12))
                    .append("\" fill=\"#2ca02c\"")
                    .append(leftSide ? " text-anchor=\"end\"" : "").append(">best: epoch ").append(epochs.get(at) + 1)
                    .append(", ").append(esc(KerasFormat.value(v))).append("</text></g>\n");
        }
        svg.append("</g>\n");
    }

    /** The epoch index with the best finite value: lowest for losses and errors, highest otherwise; -1 if none. */
    static int bestIndex(String metric, List<Double> values) {
        boolean lower = metric.contains("loss") || metric.contains("error");
        int best = -1;
        for (int k = 0; k < values.size(); k++) {
            double v = values.get(k);
            if (Double.isFinite(v) && (best < 0 || (lower ? v < values.get(best) : v > values.get(best)))) {
                best = k;
            }
        }
        return best;
    }

    /** Round ticks (1, 2 or 5 times a power of ten apart) that cover {@code [lo, hi]}, 3 to 8 of them. */
    static double[] ticks(double lo, double hi) {
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            double pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
            lo -= pad;
            hi += pad;
        }
        double raw = (hi - lo) / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = power * (raw / power <= 1 ? 1 : raw / power <= 2 ? 2 : raw / power <= 5 ? 5 : 10);
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step) * step;
        int count = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[count];
        for (int i = 0; i < count; i++) {
            t[i] = start + i * step;
        }
        return t;
    }

    private static String tick(double t, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(t) < step / 1e6 ? 0.0 : t);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
