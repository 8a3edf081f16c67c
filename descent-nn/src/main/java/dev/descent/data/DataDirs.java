package dev.descent.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where named data sets are looked for, in order: {@code $DESCENT_DATA/<name>}, {@code ~/.descent/data/<name>},
 * then the system folder where Debian's {@code dataset-*} packages put them, {@code /usr/share/datasets/<name>};
 * and where {@code descent data fetch} puts a download: {@code $DESCENT_DATA/<name>} when the variable is set,
 * else {@code ~/.descent/data/<name>}.
 *
 * @param descentData the value of {@code DESCENT_DATA}, or null when it is not set (or empty)
 * @param userHome    the user's home folder
 * @param system      the system-wide folder of data sets, {@code /usr/share/datasets} on Debian
 */
public record DataDirs(Path descentData, Path userHome, Path system) {
    /** The environment variable that names the user's own data folder. */
    public static final String ENV = "DESCENT_DATA";
    /** Debian's folder of data-set packages. */
    public static final Path DEBIAN = Path.of("/usr/share/datasets");

    /** Checks that the home and system folders are given. */
    public DataDirs {
        Objects.requireNonNull(userHome, "userHome");
        Objects.requireNonNull(system, "system");
    }

    /** The folders of this process: {@code $DESCENT_DATA}, the {@code user.home} property and {@link #DEBIAN}. */
    public static DataDirs fromEnvironment() {
        String env = System.getenv(ENV);
        return new DataDirs(env == null || env.isBlank() ? null : Path.of(env), Path.of(System.getProperty("user.home")), DEBIAN);
    }

    /** The folders where a set called {@code name} is looked for, in order. */
    public List<Path> candidates(String name) {
        List<Path> dirs = new ArrayList<>();
        if (descentData != null) {
            dirs.add(descentData.resolve(name));
        }
        dirs.add(userDir(name));
        dirs.add(system.resolve(name));
        return dirs;
    }

    /** Where a download of the set called {@code name} goes. */
    public Path downloadDir(String name) {
        return descentData != null ? descentData.resolve(name) : userDir(name);
    }

    private Path userDir(String name) {
        return userHome.resolve(".descent").resolve("data").resolve(name);
    }
}
