package io.jobpipeline.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

/** Rows as aligned columns two spaces apart, the way the CLI prints every table: text left, counts right. */
public final class TextTable {
    private TextTable() {}

    /** Prints {@code rows} (the header first); the columns in {@code rightAligned} are padded on the left. */
    public static void print(List<String[]> rows, Set<Integer> rightAligned, PrintWriter out) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String gap = " ".repeat(widths[i] - row[i].length());
                line.append(i == 0 ? "" : "  ").append(rightAligned.contains(i) ? gap + row[i] : row[i] + gap);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
