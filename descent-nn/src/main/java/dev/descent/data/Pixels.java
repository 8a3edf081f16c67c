package dev.descent.data;

/**
 * Turns 8-bit grey pixels (0 = background ... 255) into features in [0, 1], as torchvision's
 * {@code ToTensor} does: {@code x = p / 255}.
 */
public final class Pixels {
    private Pixels() {
    }

    /** Each unsigned byte {@code p} as the float {@code p / 255f}. */
    public static float[] toUnitRange(byte[] pixels) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = (pixels[i] & 0xFF) / 255f;
        }
        return out;
    }
}
