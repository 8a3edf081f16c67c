package dev.descent.lab.plot;

import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks on written images: a PNG that decodes to a picture of many colours, an SVG that parses and draws paths. */
public final class Images {
    private Images() {
    }

    /** Decodes a PNG and returns it, failing when it is not one. */
    public static BufferedImage png(byte[] bytes) throws IOException {
        assertTrue(bytes.length > 1000, "a PNG of " + bytes.length + " bytes");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "ImageIO reads the PNG");
        return image;
    }

    /** The number of distinct RGB colours in the image. */
    public static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                seen.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return seen.size();
    }

    /** Whether some pixel is within {@code tolerance} per channel of {@code rgb}. */
    public static boolean hasColour(BufferedImage image, int rgb, int tolerance) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) <= tolerance
                        && Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255)) <= tolerance
                        && Math.abs((p & 255) - (rgb & 255)) <= tolerance) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Parses an SVG (without fetching its DTD) and returns the number of its path elements. */
    public static int svgPaths(byte[] bytes) throws Exception {
        assertTrue(bytes.length > 500, "an SVG of " + bytes.length + " bytes");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
        assertTrue(doc.getDocumentElement().getLocalName().equals("svg"), doc.getDocumentElement().getLocalName());
        return doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").getLength();
    }
}
