package dev.kiln.runtime.train;

import java.util.List;

/** A plain text table with left-aligned columns separated by two spaces. */
final class HistoryTable {

    private HistoryTable() {
    }

    static String render(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder s = new StringBuilder();
        line(s, header, widths);
        for (List<String> row : rows) {
            line(s, row, widths);
        }
        return s.toString();
    }

    private static void line(StringBuilder s, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            line.append(cells.get(c));
            if (c < cells.size() - 1) {
                line.append(" ".repeat(widths[c] - cells.get(c).length() + 2));
            }
        }
        s.append(line.toString().stripTrailing()).append('\n');
    }
}
