package org.pneumo.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 in the first image directory of its APP1 "Exif" segment), applied so that
 * a phone photo of an X-ray is seen upright, as every photo viewer shows it. Only JPEG's EXIF is read.
 */
final class ExifOrientation {
    private ExifOrientation() {}

    /** The orientation 1-8 declared by a JPEG's EXIF data, 1 (as stored) when there is none or it is malformed. */
    static int of(byte[] jpeg, int length) {
        int pos = 2; // after SOI
        while (pos + 4 <= length) {
            if ((jpeg[pos] & 0xff) != 0xff) {
                return 1;
            }
            int marker = jpeg[pos + 1] & 0xff;
            if (marker == 0xff) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                return 1; // scan data: no more metadata segments
            }
            int size = ((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff);
            if (size < 2 || pos + 2 + size > length) {
                return 1;
            }
            if (marker == 0xe1 && size >= 16 && jpeg[pos + 4] == 'E' && jpeg[pos + 5] == 'x' && jpeg[pos + 6] == 'i'
                    && jpeg[pos + 7] == 'f' && jpeg[pos + 8] == 0 && jpeg[pos + 9] == 0) {
                return tiffOrientation(jpeg, pos + 10, pos + 2 + size);
            }
            pos += 2 + size;
        }
        return 1;
    }

    private static int tiffOrientation(byte[] b, int start, int end) {
        if (start + 8 > end) {
            return 1;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || start + ifd + 2 > end) {
            return 1;
        }
        int p = (int) (start + ifd);
        int entries = u16(b, p, little);
        for (int i = 0; i < entries; i++) {
            int e = p + 2 + 12 * i;
            if (e + 12 > end) {
                return 1;
            }
            if (u16(b, e, little) == 0x0112 && u16(b, e + 2, little) == 3) {
                int v = u16(b, e + 8, little);
                return v >= 1 && v <= 8 ? v : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int i, boolean little) {
        int a = b[i] & 0xff;
        int c = b[i + 1] & 0xff;
        return little ? a | (c << 8) : (a << 8) | c;
    }

    private static long u32(byte[] b, int i, boolean little) {
        long lo = u16(b, little ? i : i + 2, little);
        long hi = u16(b, little ? i + 2 : i, little);
        return (hi << 16) | lo;
    }

    /** {@code image} turned as EXIF orientation {@code o} says (1: unchanged). */
    static BufferedImage apply(BufferedImage image, int o) {
        if (o <= 1 || o > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = o >= 5;
        int nw = swap ? h : w;
        int nh = swap ? w : h;
        WritableRaster src = image.getRaster();
        WritableRaster dst = image.getColorModel().createCompatibleWritableRaster(nw, nh);
        Object pixel = null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (o) {
                    case 2 -> { dx = w - 1 - x; dy = y; }
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 4 -> { dx = x; dy = h - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = h - 1 - y; dy = x; }
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                    default -> { dx = y; dy = w - 1 - x; } // 8
                }
                pixel = src.getDataElements(x, y, pixel);
                dst.setDataElements(dx, dy, pixel);
            }
        }
        return new BufferedImage(image.getColorModel(), dst, image.isAlphaPremultiplied(), null);
    }
}
