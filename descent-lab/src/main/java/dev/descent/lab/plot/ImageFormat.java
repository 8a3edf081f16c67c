package dev.descent.lab.plot;

import java.nio.file.Path;
import java.util.Locale;

/** The image file types a {@link Figure} writes, chosen by the file's extension. */
public enum ImageFormat {
    /** A bitmap, through ImageIO. */
    PNG,
    /** A vector image, through VectorGraphics2D; bitmaps inside it (a contour map's fill) are embedded as PNG. */
    SVG;

    /** The extension with its dot, lower case: {@code .png}. */
    public String extension() {
        return "." + name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format that {@code file}'s extension names (case-insensitive).
     *
     * @throws IllegalArgumentException naming the file when the extension is neither {@code .png} nor {@code .svg}
     */
    public static ImageFormat forFile(Path file) {
        Path name = file.getFileName();
        String text = name == null ? "" : name.toString();
        int dot = text.lastIndexOf('.');
        String extension = dot < 0 ? "" : text.substring(dot).toLowerCase(Locale.ROOT);
        for (ImageFormat format : values()) {
            if (format.extension().equals(extension)) {
                return format;
            }
        }
        throw new IllegalArgumentException(file + ": " + (extension.isEmpty() ? "no file extension" : "unknown image type '"
                + extension + "'") + "; name the file .png or .svg");
    }
}
