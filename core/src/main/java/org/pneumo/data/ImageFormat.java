package org.pneumo.data;

import java.util.Locale;

/**
 * What a file is, decided by its first bytes (magic numbers) and never by its name or declared media type: JPEG, PNG
 * and DICOM are read; GIF, BMP, TIFF, WebP and the rest are refused on purpose with a reason, because X-ray archives
 * hand over JPEG, PNG or DICOM and a lossy or palette format is more likely a screenshot than a radiograph.
 */
public enum ImageFormat {
    JPEG, PNG, DICOM;

    /** Bytes needed to recognise every format (DICOM's marker sits after a 128-byte preamble). */
    public static final int HEAD_BYTES = 132;

    /**
     * The format of a file that starts with {@code head}.
     *
     * @throws ImageDecodeException naming the format when it is recognised but refused, or saying that it is none
     */
    public static ImageFormat of(byte[] head) throws ImageDecodeException {
        ImageFormat f = sniff(head);
        if (f != null) {
            return f;
        }
        String refused = refusedName(head);
        if (refused != null) {
            throw new ImageDecodeException(refused + " images are not read: send the X-ray as JPEG, PNG or DICOM");
        }
        throw new ImageDecodeException("not a JPEG, PNG or DICOM image (unrecognised first bytes)");
    }

    /** The readable format of {@code head}, or null. */
    public static ImageFormat sniff(byte[] head) {
        if (head.length >= 3 && u(head, 0) == 0xff && u(head, 1) == 0xd8 && u(head, 2) == 0xff) {
            return JPEG;
        }
        if (head.length >= 8 && u(head, 0) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == 0x0d && head[5] == 0x0a && head[6] == 0x1a && head[7] == 0x0a) {
            return PNG;
        }
        if (head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            return DICOM;
        }
        return null;
    }

    private static String refusedName(byte[] h) {
        if (starts(h, "GIF87a") || starts(h, "GIF89a")) {
            return "GIF";
        }
        if (starts(h, "BM") && h.length >= 14) {
            return "BMP";
        }
        if (h.length >= 4 && ((h[0] == 'I' && h[1] == 'I' && h[2] == 42 && h[3] == 0)
                || (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && h[3] == 42))) {
            return "TIFF";
        }
        if (starts(h, "RIFF") && h.length >= 12 && new String(h, 8, 4, java.nio.charset.StandardCharsets.US_ASCII)
                .equals("WEBP")) {
            return "WebP";
        }
        if (h.length >= 12 && new String(h, 4, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("ftyp")) {
            return "HEIF/AVIF";
        }
        if (h.length >= 12 && u(h, 0) == 0 && u(h, 1) == 0 && u(h, 2) == 0 && u(h, 3) == 0x0c && h[4] == 'j'
                && h[5] == 'P') {
            return "JPEG 2000";
        }
        if (starts(h, "%PDF")) {
            return "PDF";
        }
        return null;
    }

    private static boolean starts(byte[] h, String ascii) {
        if (h.length < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (h[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u(byte[] b, int i) {
        return b[i] & 0xff;
    }

    /** The lower-case name, as in messages. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
