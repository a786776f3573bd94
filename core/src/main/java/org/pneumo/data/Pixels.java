package org.pneumo.data;

/** The one place where stored uint8 pixels become the network's float input: value / 255. */
public final class Pixels {
    private Pixels() {}

    /** Writes {@code src} (uint8) as floats in [0, 1] into {@code dst} starting at {@code offset}. */
    public static void toUnit(byte[] src, float[] dst, int offset) {
        for (int i = 0; i < src.length; i++) {
            dst[offset + i] = (src[i] & 0xff) / 255f;
        }
    }
}
