package org.pneumo.data;

import ij.ImagePlus;
import ij.plugin.DICOM;
import ij.process.ImageProcessor;
import ij.util.DicomTools;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one-frame grayscale DICOM files (uncompressed transfer syntaxes) through ImageJ into an 8-bit gray image:
 * the window centre and width are applied when the file has them (else 8-bit samples are kept and deeper ones are
 * stretched over their own range),
 * MONOCHROME1 is inverted to MONOCHROME2 (bright = dense), 8- and 16-bit samples. Other transfer syntaxes (JPEG,
 * JPEG 2000, RLE...) are refused with a message that names them.
 */
final class DicomReader {
    private static final int PREAMBLE = 128;
    private static final Set<String> SUPPORTED = Set.of(
            "1.2.840.10008.1.2", // implicit VR little endian
            "1.2.840.10008.1.2.1", // explicit VR little endian
            "1.2.840.10008.1.2.2"); // explicit VR big endian

    private DicomReader() {}

    /** Whether the bytes start like a DICOM file (128-byte preamble, then "DICM"). */
    static boolean isDicom(byte[] head) {
        return head.length >= PREAMBLE + 4 && head[PREAMBLE] == 'D' && head[PREAMBLE + 1] == 'I'
                && head[PREAMBLE + 2] == 'C' && head[PREAMBLE + 3] == 'M';
    }

    /** Decodes a DICOM file's bytes, checking the declared size against {@code maxPixels} before the pixels. */
    static BufferedImage read(byte[] bytes, long maxPixels) throws ImageDecodeException {
        if (!isDicom(bytes)) {
            throw new ImageDecodeException("not a DICOM file (no DICM marker)");
        }
        String syntax = transferSyntax(bytes);
        if (syntax == null) {
            throw new ImageDecodeException("DICOM file has no transfer syntax in its meta header");
        }
        if (!SUPPORTED.contains(syntax)) {
            throw new ImageDecodeException("unsupported DICOM transfer syntax " + syntax
                    + " (compressed); only uncompressed DICOM is read: convert it first, e.g. with dcmtk's dcmdjpeg");
        }
        long[] size = declaredSize(bytes);
        if (size != null && size[0] * size[1] > maxPixels) {
            throw new ImageDecodeException("image declares " + size[1] + "x" + size[0] + " pixels, more than the limit"
                    + " of " + maxPixels + "; refused before decoding");
        }
        DICOM dicom = new DICOM(new BufferedInputStream(new ByteArrayInputStream(bytes)));
        dicom.run("x");
        if (dicom.getWidth() < 1 || dicom.getHeight() < 1 || dicom.getProcessor() == null) {
            throw new ImageDecodeException("DICOM file could not be decoded");
        }
        if ((long) dicom.getWidth() * dicom.getHeight() > maxPixels) {
            throw new ImageDecodeException("image declares " + dicom.getWidth() + "x" + dicom.getHeight()
                    + " pixels, more than the limit of " + maxPixels);
        }
        if (dicom.getNChannels() != 1 || dicom.getBitDepth() == 24) {
            throw new ImageDecodeException("only grayscale DICOM is supported");
        }
        return toGray(dicom);
    }

    private static BufferedImage toGray(ImagePlus dicom) throws ImageDecodeException {
        ImageProcessor ip = dicom.getProcessor();
        String photometric = tag(dicom, "0028,0004");
        double[] window = window(dicom);
        double lo;
        double hi;
        if (window != null) {
            lo = window[0] - window[1] / 2;
            hi = window[0] + window[1] / 2;
        } else {
            // No window: 8-bit samples are used as they are, deeper ones stretched over their own range.
            ip.resetMinAndMax();
            lo = dicom.getCalibration().getCValue(ip.getMin());
            hi = dicom.getCalibration().getCValue(ip.getMax());
        }
        boolean invert = photometric != null && photometric.trim().toUpperCase(Locale.ROOT).equals("MONOCHROME1");
        int w = ip.getWidth();
        int h = ip.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
        double range = Math.max(hi - lo, 1e-9);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // Calibrated value: ImageJ applies rescale slope/intercept (and signed data) through its calibration.
                double v = dicom.getCalibration().getCValue(ip.getPixel(x, y));
                double t = (v - lo) / range;
                int g = (int) Math.round(Math.max(0, Math.min(1, t)) * 255);
                data[y * w + x] = (byte) (invert ? 255 - g : g);
            }
        }
        return out;
    }

    private static double[] window(ImagePlus dicom) {
        String centre = tag(dicom, "0028,1050");
        String width = tag(dicom, "0028,1051");
        if (centre == null || width == null) {
            return null;
        }
        try {
            // Multi-valued windows are separated by backslashes: use the first.
            double c = Double.parseDouble(centre.split("\\\\")[0].trim());
            double w = Double.parseDouble(width.split("\\\\")[0].trim());
            return w > 0 ? new double[] {c, w} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String tag(ImagePlus dicom, String id) {
        String v = DicomTools.getTag(dicom, id);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** Rows and columns (0028,0010) and (0028,0011) as declared in the data set, or null if not found. */
    static long[] declaredSize(byte[] bytes) {
        long rows = findUnsignedShort(bytes, 0x10);
        long columns = findUnsignedShort(bytes, 0x11);
        return rows < 0 || columns < 0 ? null : new long[] {rows, columns};
    }

    private static long findUnsignedShort(byte[] bytes, int element) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int limit = Math.min(bytes.length - 12, 1 << 20);
        for (int i = PREAMBLE + 4; i < limit; i++) {
            if (bytes[i] == 0x28 && bytes[i + 1] == 0x00 && bytes[i + 2] == element && bytes[i + 3] == 0x00) {
                if (bytes[i + 4] == 'U' && bytes[i + 5] == 'S' && b.getShort(i + 6) == 2) {
                    return b.getShort(i + 8) & 0xffff; // explicit VR
                }
                if (b.getInt(i + 4) == 2) {
                    return b.getShort(i + 8) & 0xffff; // implicit VR
                }
            }
        }
        return -1;
    }

    /** The (0002,0010) transfer syntax UID from the explicit-VR little-endian meta header, or null. */
    static String transferSyntax(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = PREAMBLE + 4;
        while (pos + 8 <= bytes.length) {
            int group = b.getShort(pos) & 0xffff;
            int element = b.getShort(pos + 2) & 0xffff;
            if (group != 0x0002) {
                return null;
            }
            String vr = new String(bytes, pos + 4, 2, StandardCharsets.US_ASCII);
            long length;
            int header;
            if (vr.equals("OB") || vr.equals("OW") || vr.equals("UN") || vr.equals("SQ") || vr.equals("UT")) {
                if (pos + 12 > bytes.length) {
                    return null;
                }
                length = b.getInt(pos + 8) & 0xffffffffL;
                header = 12;
            } else {
                length = b.getShort(pos + 6) & 0xffff;
                header = 8;
            }
            if (pos + header + length > bytes.length) {
                return null;
            }
            if (element == 0x0010) {
                return new String(bytes, pos + header, (int) length, StandardCharsets.US_ASCII).replace("\0", "")
                        .trim();
            }
            pos += header + (int) length;
        }
        return null;
    }
}
