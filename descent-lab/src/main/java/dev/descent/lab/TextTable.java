package dev.descent.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns for people to read: text columns aligned left, number columns
 * right, two spaces between columns, no trailing spaces.
 */
final class TextTable {
    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    /** @param rightAligned for each header, whether its column holds numbers (aligned right) */
    TextTable(List<String> headers, boolean... rightAligned) {
        if (headers.size() != rightAligned.length) {
            throw new IllegalArgumentException(headers.size() + " headers but " + rightAligned.length + " alignments");
        }
        this.headers = List.copyOf(headers);
        this.rightAligned = rightAligned.clone();
    }

    /** Adds a row of as many cells as there are headers. */
    void add(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException(cells.size() + " cells for " + headers.size() + " columns");
        }
        rows.add(List.copyOf(cells));
    }

    /** The table, each line ended by {@code \n}. */
    String render() {
        int[] width = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(rightAligned[c] ? pad + cell : cell + pad);
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
