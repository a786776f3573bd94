package org.pneumo.data;

/**
 * DICOM RLE lossless (PS3.5 annex G): a 64-byte header with the number of segments and their offsets, then one
 * PackBits-coded segment per byte plane (most significant byte first, sample by sample). Decodes one frame into
 * interleaved little-endian samples.
 */
final class DicomRle {
    private DicomRle() {}

    static byte[] decode(byte[] frame, int pixels, int samplesPerPixel, int bytesPerSample)
            throws ImageDecodeException {
        if (frame.length < 64) {
            throw new ImageDecodeException("DICOM RLE frame is shorter than its 64-byte header");
        }
        int segments = le32(frame, 0);
        int expected = samplesPerPixel * bytesPerSample;
        if (segments != expected) {
            throw new ImageDecodeException("DICOM RLE frame has " + segments + " segments, the header declares "
                    + expected);
        }
        byte[] out = new byte[pixels * expected];
        for (int s = 0; s < segments; s++) {
            int start = le32(frame, 4 + 4 * s);
            int end = s + 1 < segments ? le32(frame, 8 + 4 * s) : frame.length;
            if (start < 64 || end > frame.length || start > end) {
                throw new ImageDecodeException("DICOM RLE segment " + (s + 1) + " has a bad offset");
            }
            int sample = s / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - s % bytesPerSample; // segments are most significant first
            int stride = expected;
            int target = sample * bytesPerSample + byteInSample;
            int written = unpack(frame, start, end, out, target, stride, pixels);
            if (written < pixels) {
                throw new ImageDecodeException("DICOM RLE segment " + (s + 1) + " decodes to " + written
                        + " bytes, fewer than the " + pixels + " pixels declared (truncated?)");
            }
        }
        return out;
    }

    /** PackBits into every {@code stride}-th byte of {@code out} from {@code first}; returns the bytes written. */
    private static int unpack(byte[] in, int from, int to, byte[] out, int first, int stride, int count) {
        int n = 0;
        int p = from;
        while (p < to && n < count) {
            int header = in[p++];
            if (header >= 0) {
                int run = header + 1;
                for (int i = 0; i < run && p < to && n < count; i++) {
                    out[first + stride * n++] = in[p++];
                }
            } else if (header != -128) {
                int run = 1 - header;
                if (p >= to) {
                    break;
                }
                byte v = in[p++];
                for (int i = 0; i < run && n < count; i++) {
                    out[first + stride * n++] = v;
                }
            }
        }
        return n;
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }
}
