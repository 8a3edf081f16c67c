package dev.descent.lab;

import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * How descent writes CSV: fields quoted per RFC 4180 when they need it, numbers in Java's shortest
 * round-trip form with {@code .} as decimal point whatever the locale, lines ended by {@code \n}.
 */
final class Csv {
    private Csv() {
    }

    /** The field as written: wrapped in double quotes, with inner quotes doubled, when it holds a comma, quote or line break. */
    static String field(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + text.replace("\"", "\"\"") + '"';
            }
        }
        return text;
    }

    /** A float in the shortest form that reads back exactly ({@code NaN}, {@code Infinity} and {@code -Infinity} as Java writes them). */
    static String number(float x) {
        return Float.toString(x);
    }

    /** A double in the shortest form that reads back exactly ({@code NaN}, {@code Infinity} and {@code -Infinity} as Java writes them). */
    static String number(double x) {
        return Double.toString(x);
    }

    /** Writes {@code csv} to the command's stdout, or atomically to {@code out} when given (saying so on stderr). */
    static void emit(CommandSpec spec, Path out, AtomicFile.Body csv) {
        if (out != null) {
            AtomicFile.write(out, csv);
            spec.commandLine().getErr().println("descent: wrote " + out);
            return;
        }
        PrintWriter stdout = spec.commandLine().getOut();
        try {
            csv.writeTo(stdout);
            if (stdout.checkError()) {
                throw new IOException("could not write to standard output");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Hands the buffered rows to the writer, stopping the run when stdout has gone away. */
    static void flush(StringBuilder rows, Writer writer) throws IOException {
        writer.append(rows);
        rows.setLength(0);
        if (writer instanceof PrintWriter print && print.checkError()) {
            throw new IOException("could not write to standard output");
        }
    }
}
