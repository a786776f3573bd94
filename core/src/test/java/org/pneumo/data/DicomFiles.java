package org.pneumo.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes small DICOM files for tests (explicit VR little endian, one grayscale frame): enough of the standard for a
 * reader to find size, bit depth, photometric interpretation, window and pixels.
 */
public final class DicomFiles {
    public static final String EXPLICIT_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final String JPEG_2000 = "1.2.840.10008.1.2.4.90";

    private DicomFiles() {}

    /**
     * A DICOM file of {@code width x height} samples ({@code bits} 8 or 16, unsigned), with the given photometric
     * interpretation and, when {@code windowWidth > 0}, a window centre and width.
     */
    public static byte[] gray(int width, int height, int bits, int[] samples, String photometric,
            double windowCenter, double windowWidth, String transferSyntax) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        element(meta, 0x0002, 0x0001, "OB", new byte[] {0, 1});
        element(meta, 0x0002, 0x0002, "UI", uid("1.2.840.10008.5.1.4.1.1.1.1"));
        element(meta, 0x0002, 0x0003, "UI", uid("1.2.3.4.5.6.7.8.9"));
        element(meta, 0x0002, 0x0010, "UI", uid(transferSyntax));
        element(out, 0x0002, 0x0000, "UL", le32(meta.size()));
        out.writeBytes(meta.toByteArray());
        element(out, 0x0008, 0x0060, "CS", text("DX"));
        element(out, 0x0028, 0x0002, "US", le16(1));
        element(out, 0x0028, 0x0004, "CS", text(photometric));
        element(out, 0x0028, 0x0010, "US", le16(height));
        element(out, 0x0028, 0x0011, "US", le16(width));
        element(out, 0x0028, 0x0100, "US", le16(bits));
        element(out, 0x0028, 0x0101, "US", le16(bits));
        element(out, 0x0028, 0x0102, "US", le16(bits - 1));
        element(out, 0x0028, 0x0103, "US", le16(0));
        if (windowWidth > 0) {
            element(out, 0x0028, 0x1050, "DS", text(Double.toString(windowCenter)));
            element(out, 0x0028, 0x1051, "DS", text(Double.toString(windowWidth)));
        }
        ByteBuffer pixels = ByteBuffer.allocate(width * height * (bits / 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : samples) {
            if (bits == 8) {
                pixels.put((byte) s);
            } else {
                pixels.putShort((short) s);
            }
        }
        byte[] data = pixels.array();
        if (data.length % 2 == 1) {
            data = java.util.Arrays.copyOf(data, data.length + 1);
        }
        element(out, 0x7FE0, 0x0010, bits == 8 ? "OB" : "OW", data);
        return out.toByteArray();
    }

    /** One explicit-VR little-endian element (tag, VR, length, value), for {@link #withElements}. */
    public static byte[] explicitElement(int group, int tag, String vr, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        element(out, group, tag, vr, value);
        return out.toByteArray();
    }

    /** {@code dicom} (as made by {@link #gray}) with {@code elements} inserted just before its pixel data. */
    public static byte[] withElements(byte[] dicom, byte[] elements) {
        int at = pixelDataAt(dicom);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(dicom, 0, at);
        out.writeBytes(elements);
        out.write(dicom, at, dicom.length - at);
        return out.toByteArray();
    }

    /** Where the (7FE0,0010) element of a file made by {@link #gray} starts. */
    public static int pixelDataAt(byte[] dicom) {
        for (int i = dicom.length - 12; i >= 132; i--) {
            if ((dicom[i] & 0xff) == 0xe0 && dicom[i + 1] == 0x7f && dicom[i + 2] == 0x10 && dicom[i + 3] == 0
                    && dicom[i + 4] == 'O') {
                return i;
            }
        }
        throw new IllegalArgumentException("no pixel data");
    }

    /** A DS (decimal string) value. */
    public static byte[] decimal(String s) {
        return text(s);
    }

    /** A US (unsigned short) value. */
    public static byte[] ushort(int v) {
        return le16(v);
    }

    private static void element(ByteArrayOutputStream out, int group, int tag, String vr, byte[] value) {
        out.writeBytes(le16(group));
        out.writeBytes(le16(tag));
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        if (vr.equals("OB") || vr.equals("OW") || vr.equals("UN") || vr.equals("SQ")) {
            out.writeBytes(new byte[2]);
            out.writeBytes(le32(value.length));
        } else {
            out.writeBytes(le16(value.length));
        }
        out.writeBytes(value);
    }

    private static byte[] uid(String uid) {
        byte[] b = uid.getBytes(StandardCharsets.US_ASCII);
        return b.length % 2 == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1); // padded with NUL
    }

    private static byte[] text(String s) {
        String padded = s.length() % 2 == 0 ? s : s + " ";
        return padded.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
