package dev.descent.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether the process's stderr is a terminal, which decides between a progress bar and plain log lines. */
final class Terminal {
    private Terminal() {
    }

    /**
     * True when file descriptor 2 is a terminal device ({@code /dev/pts/N} or {@code /dev/ttyN}, read from
     * {@code /proc/self/fd/2} on Linux); elsewhere, when the JVM has a console. {@code DESCENT_PROGRESS=plain}
     * forces plain lines and {@code DESCENT_PROGRESS=bar} the bar.
     */
    static boolean stderrIsTerminal() {
        String forced = System.getenv("DESCENT_PROGRESS");
        if ("plain".equalsIgnoreCase(forced)) {
            return false;
        }
        if ("bar".equalsIgnoreCase(forced)) {
            return true;
        }
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(fd)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
