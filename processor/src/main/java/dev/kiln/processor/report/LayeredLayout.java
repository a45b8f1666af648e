package dev.kiln.processor.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A layered (Sugiyama-style) top-down layout of a directed acyclic graph, small enough to live in the processor:
 * <ol>
 *   <li>layers by longest path from the sources (a node sits one layer below its lowest input);
 *   <li>an edge that spans several layers passes through a dummy node in each layer between;
 *   <li>crossings reduced by barycenter sweeps, down then up, keeping the order with the fewest crossings;
 *   <li>x by repeatedly pulling each node to the mean of its neighbours, in order, at least {@link #GAP} apart;
 *       y by layer, each layer as tall as its tallest box.
 * </ol>
 * Deterministic: the same graph gives the same picture. Nodes are numbered {@code 0..n-1} in topological order.
 */
final class LayeredLayout {
    static final double GAP = 24;
    static final double LAYER_GAP = 56;
    static final double MARGIN = 16;
    private static final double DUMMY_WIDTH = 12;
    private static final int SWEEPS = 12;

    /** Where each box's top-left corner goes, each edge's bends, and the size of the whole picture. */
    record Result(double[] x, double[] y, List<double[]> routes, double width, double height) {
    }

    private LayeredLayout() {
    }

    /**
     * Lays out {@code n} boxes of the given sizes; {@code edges[i] = {from, to}} with {@code from < to}. Each route is
     * {@code {x0, y0, x1, y1, ...}} from the bottom of {@code from} to the top of {@code to}.
     */
    static Result layout(double[] widths, double[] heights, int[][] edges) {
        int n = widths.length;
        int[] layer = new int[n];
        for (int[] e : edges) {
            if (e[0] >= e[1]) {
                throw new AssertionError("edges must go from a lower to a higher node number: " + Arrays.toString(e));
            }
        }
        List<List<Integer>> in = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            in.add(new ArrayList<>());
        }
        for (int[] e : edges) {
            in.get(e[1]).add(e[0]);
        }
        int layers = 0;
        for (int v = 0; v < n; v++) {
            for (int u : in.get(v)) {
                layer[v] = Math.max(layer[v], layer[u] + 1);
            }
            layers = Math.max(layers, layer[v] + 1);
        }

        // vertices: the boxes, then the dummies; each edge becomes a chain of segments one layer long
        List<Integer> vLayer = new ArrayList<>();
        List<Double> vWidth = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            vLayer.add(layer[i]);
            vWidth.add(widths[i]);
        }
        List<int[]> chains = new ArrayList<>();
        List<int[]> segments = new ArrayList<>();
        for (int[] e : edges) {
            int span = layer[e[1]] - layer[e[0]];
            int[] chain = new int[span + 1];
            chain[0] = e[0];
            chain[span] = e[1];
            for (int k = 1; k < span; k++) {
                chain[k] = vLayer.size();
                vLayer.add(layer[e[0]] + k);
                vWidth.add(DUMMY_WIDTH);
            }
            for (int k = 0; k < span; k++) {
                segments.add(new int[] {chain[k], chain[k + 1]});
            }
            chains.add(chain);
        }
        int total = vLayer.size();
        List<List<Integer>> up = new ArrayList<>();
        List<List<Integer>> down = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            up.add(new ArrayList<>());
            down.add(new ArrayList<>());
        }
        for (int[] s : segments) {
            down.get(s[0]).add(s[1]);
            up.get(s[1]).add(s[0]);
        }
        List<List<Integer>> rows = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            rows.add(new ArrayList<>());
        }
        for (int v = 0; v < total; v++) {
            rows.get(vLayer.get(v)).add(v);
        }
        rows = order(rows, up, down, total);

        // x: pack, then pull towards neighbours
        double[] cx = new double[total];
        for (List<Integer> row : rows) {
            double at = 0;
            for (int v : row) {
                cx[v] = at + vWidth.get(v) / 2;
                at += vWidth.get(v) + GAP;
            }
        }
        for (int pass = 0; pass < 8; pass++) {
            boolean downward = pass % 2 == 0;
            for (int i = 0; i < layers; i++) {
                List<Integer> row = rows.get(downward ? i : layers - 1 - i);
                double[] want = new double[row.size()];
                for (int k = 0; k < row.size(); k++) {
                    int v = row.get(k);
                    List<Integer> near = new ArrayList<>(downward ? up.get(v) : down.get(v));
                    if (near.isEmpty()) {
                        near = downward ? down.get(v) : up.get(v);
                    }
                    want[k] = near.isEmpty() ? cx[v] : near.stream().mapToDouble(u -> cx[u]).average().orElseThrow();
                }
                place(row, want, vWidth, cx);
            }
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int v = 0; v < total; v++) {
            min = Math.min(min, cx[v] - vWidth.get(v) / 2);
            max = Math.max(max, cx[v] + vWidth.get(v) / 2);
        }
        double shift = MARGIN - min;

        // y: each layer as tall as its tallest box
        double[] top = new double[layers];
        double[] tall = new double[layers];
        for (int i = 0; i < n; i++) {
            tall[layer[i]] = Math.max(tall[layer[i]], heights[i]);
        }
        double at = MARGIN;
        for (int l = 0; l < layers; l++) {
            top[l] = at;
            at += tall[l] + LAYER_GAP;
        }
        double height = at - LAYER_GAP + MARGIN;

        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = cx[i] + shift - widths[i] / 2;
            y[i] = top[layer[i]] + (tall[layer[i]] - heights[i]) / 2;
        }
        List<double[]> routes = new ArrayList<>();
        for (int[] chain : chains) {
            double[] r = new double[2 * (chain.length - 2) * 2 + 4];
            int k = 0;
            r[k++] = cx[chain[0]] + shift;
            r[k++] = y[chain[0]] + heights[chain[0]];
            for (int j = 1; j < chain.length - 1; j++) { // a dummy: straight down through its layer
                int l = vLayer.get(chain[j]);
                r[k++] = cx[chain[j]] + shift;
                r[k++] = top[l];
                r[k++] = cx[chain[j]] + shift;
                r[k++] = top[l] + tall[l];
            }
            int last = chain[chain.length - 1];
            r[k++] = cx[last] + shift;
            r[k] = y[last];
            routes.add(r);
        }
        return new Result(x, y, routes, max - min + 2 * MARGIN, height);
    }

    /** Centres {@code row} as near {@code want} as the order and the gaps allow. */
    private static void place(List<Integer> row, double[] want, List<Double> width, double[] cx) {
        int m = row.size();
        double[] left = new double[m];
        double[] right = new double[m];
        for (int k = 0; k < m; k++) {
            left[k] = want[k];
            if (k > 0) {
                left[k] = Math.max(want[k], left[k - 1] + sep(row, k - 1, width));
            }
        }
        for (int k = m - 1; k >= 0; k--) {
            right[k] = want[k];
            if (k < m - 1) {
                right[k] = Math.min(want[k], right[k + 1] - sep(row, k, width));
            }
        }
        for (int k = 0; k < m; k++) {
            double c = (left[k] + right[k]) / 2;
            cx[row.get(k)] = k == 0 ? c : Math.max(c, cx[row.get(k - 1)] + sep(row, k - 1, width));
        }
    }

    /** The distance between the centres of {@code row[k]} and {@code row[k+1]}. */
    private static double sep(List<Integer> row, int k, List<Double> width) {
        return width.get(row.get(k)) / 2 + GAP + width.get(row.get(k + 1)) / 2;
    }

    /** Barycenter sweeps; returns the ordering with the fewest crossings seen. */
    private static List<List<Integer>> order(List<List<Integer>> rows, List<List<Integer>> up,
            List<List<Integer>> down, int total) {
        List<List<Integer>> best = copy(rows);
        long bestCrossings = crossings(rows, down, total);
        int[] pos = new int[total];
        for (int sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep++) {
            boolean downward = sweep % 2 == 0;
            for (int i = 1; i < rows.size(); i++) {
                int l = downward ? i : rows.size() - 1 - i;
                List<Integer> fixed = rows.get(downward ? l - 1 : l + 1);
                for (int k = 0; k < fixed.size(); k++) {
                    pos[fixed.get(k)] = k;
                }
                List<Integer> row = rows.get(l);
                double[] bary = new double[total];
                for (int k = 0; k < row.size(); k++) {
                    int v = row.get(k);
                    List<Integer> near = downward ? up.get(v) : down.get(v);
                    bary[v] = near.isEmpty() ? k : near.stream().mapToDouble(u -> pos[u]).average().orElseThrow();
                }
                List<Integer> sorted = new ArrayList<>(row);
                sorted.sort(Comparator.comparingDouble(v -> bary[v])); // stable: ties keep their order
                rows.set(l, sorted);
            }
            long c = crossings(rows, down, total);
            if (c < bestCrossings) {
                bestCrossings = c;
                best = copy(rows);
            }
        }
        return best;
    }

    /** Crossings between consecutive layers: pairs of segments whose ends are in opposite orders. */
    static long crossings(List<List<Integer>> rows, List<List<Integer>> down, int total) {
        int[] pos = new int[total];
        for (List<Integer> row : rows) {
            for (int k = 0; k < row.size(); k++) {
                pos[row.get(k)] = k;
            }
        }
        long count = 0;
        for (List<Integer> row : rows) {
            List<int[]> segs = new ArrayList<>();
            for (int v : row) {
                for (int w : down.get(v)) {
                    segs.add(new int[] {pos[v], pos[w]});
                }
            }
            for (int a = 0; a < segs.size(); a++) {
                for (int b = a + 1; b < segs.size(); b++) {
                    int[] s = segs.get(a);
                    int[] t = segs.get(b);
                    if ((long) (s[0] - t[0]) * (s[1] - t[1]) < 0) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private static List<List<Integer>> copy(List<List<Integer>> rows) {
        List<List<Integer>> c = new ArrayList<>();
        rows.forEach(r -> c.add(new ArrayList<>(r)));
        return c;
    }
}
