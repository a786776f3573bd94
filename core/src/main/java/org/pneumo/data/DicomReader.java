package org.pneumo.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;

/**
 * Reads the first frame of a DICOM file into an 8-bit gray image with a small parser of its own (no AWT, nothing
 * printed): the data set is walked element by element in its transfer syntax, so the real Rows and Columns are found
 * (never a look-alike inside another value) and checked before any pixel is allocated. Read: implicit and explicit VR
 * little endian, explicit VR big endian, deflated explicit VR little endian, RLE lossless (own code), JPEG baseline
 * and extended 8-bit (the JDK's reader), JPEG lossless processes 14 and 14 SV1 (TwelveMonkeys), JPEG 2000 lossless and
 * lossy (JAI); encapsulated fragments are joined; 8- and 16-bit samples, signed or not; MONOCHROME1 (inverted),
 * MONOCHROME2, RGB and YBR (converted to luma); rescale slope and intercept; the first window centre and width when
 * present (else the samples' own range); multi-frame files give frame 1 with a warning in the log. Refused with a
 * reason: other transfer syntaxes (named, with advice that fits), pixel data shorter than declared, rescale values
 * that are 0 or not finite numbers, palette colour, bit depths other than 8 and 16.
 */
final class DicomReader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DicomReader.class);
    private static final int PREAMBLE = 128;
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
    private static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    private static final String RLE = "1.2.840.10008.1.2.5";
    private static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    private static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
    private static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    private static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    private static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    private static final String JPEG_2000 = "1.2.840.10008.1.2.4.91";
    private static final Set<String> ENCAPSULATED = Set.of(RLE, JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS,
            JPEG_LOSSLESS_SV1, JPEG_2000_LOSSLESS, JPEG_2000);
    /** Inflated data sets larger than this are refused (a deflate bomb). */
    private static final long MAX_INFLATED = (long) ImageDecoder.MAX_FILE_MB << 20;

    private DicomReader() {}

    /** Whether the bytes start like a DICOM file (128-byte preamble, then "DICM"). */
    static boolean isDicom(byte[] head) {
        return ImageFormat.sniff(head) == ImageFormat.DICOM;
    }

    /** The attributes of the image that the reader uses, as found in the top level of the data set. */
    static final class Header {
        String syntax;
        int rows = -1;
        int columns = -1;
        int samplesPerPixel = 1;
        int bitsAllocated = -1;
        int bitsStored = -1;
        int pixelRepresentation;
        int planarConfiguration;
        String photometric = "MONOCHROME2";
        String frames;
        String windowCenter;
        String windowWidth;
        String slope;
        String intercept;
        /** Native pixel data: offset and length in {@link #data}; encapsulated: the fragments. */
        int pixelOffset = -1;
        long pixelLength;
        List<int[]> fragments;
        byte[] data;
        boolean bigEndian;
        /** Whether the samples came out of a JPEG decoder, which turns YBR into RGB. */
        boolean decodedToRgb;
    }

    /** Decodes frame 1 of a DICOM file's first {@code length} bytes, checking geometry with {@code decoder}. */
    static BufferedImage read(byte[] bytes, int length, ImageDecoder decoder) throws ImageDecodeException {
        Header h = parse(bytes, length);
        if (h.rows < 0 || h.columns < 0) {
            boolean ended = h.pixelOffset < 0 && h.fragments == null;
            throw new ImageDecodeException("DICOM file has no Rows/Columns (0028,0010/0011)"
                    + (ended ? " before it ends: truncated, or not an image" : ": not an image"));
        }
        decoder.checkGeometry(h.columns, h.rows);
        if (h.pixelOffset < 0 && h.fragments == null) {
            throw new ImageDecodeException("DICOM file has no pixel data (7FE0,0010)");
        }
        if (h.samplesPerPixel != 1 && h.samplesPerPixel != 3) {
            throw new ImageDecodeException("DICOM samples per pixel " + h.samplesPerPixel + " is not 1 or 3");
        }
        String photometric = h.photometric.trim().toUpperCase(Locale.ROOT);
        if (!photometric.startsWith("MONOCHROME") && !photometric.equals("RGB") && !photometric.startsWith("YBR")) {
            throw new ImageDecodeException("DICOM photometric interpretation " + photometric + " is not read"
                    + " (MONOCHROME1, MONOCHROME2, RGB and YBR are)");
        }
        double slope = number(h.slope, 1, "rescale slope (0028,1053)");
        double intercept = number(h.intercept, 0, "rescale intercept (0028,1052)");
        if (slope == 0) {
            throw new ImageDecodeException("DICOM rescale slope (0028,1053) is 0: every pixel would be the same");
        }
        int frames = 1;
        if (h.frames != null) {
            try {
                frames = Integer.parseInt(h.frames.trim());
            } catch (NumberFormatException e) {
                throw new ImageDecodeException("DICOM number of frames (0028,0008) '" + h.frames.trim()
                        + "' is not a number");
            }
            if (frames < 1) {
                throw new ImageDecodeException("DICOM number of frames (0028,0008) is " + frames);
            }
            if (frames > 1) {
                LOG.warn("DICOM file has {} frames: only frame 1 is read", frames);
            }
        }
        int step = decoder.subsampling(h.columns, h.rows);
        Samples samples = samples(h, step);
        return toGray(h, samples, step, slope, intercept, photometric);
    }

    /** Raw samples of frame 1 at subsampled coordinates (x, y index the subsampled grid). */
    private interface Samples {
        int width();

        int height();

        int get(int x, int y, int c);
    }

    private static Samples samples(Header h, int step) throws ImageDecodeException {
        if (h.bitsAllocated != 8 && h.bitsAllocated != 16) {
            throw new ImageDecodeException("DICOM bits allocated " + h.bitsAllocated + " is not read (8 or 16 are)");
        }
        if (h.bitsStored < 1 || h.bitsStored > h.bitsAllocated) {
            h.bitsStored = h.bitsAllocated;
        }
        int bytesPerSample = h.bitsAllocated / 8;
        long frameBytes = (long) h.rows * h.columns * h.samplesPerPixel * bytesPerSample;
        if (h.fragments == null) {
            if (h.pixelLength < frameBytes) {
                throw new ImageDecodeException("DICOM pixel data has " + h.pixelLength + " bytes, fewer than the "
                        + frameBytes + " that " + h.columns + "x" + h.rows + " pixels of " + h.samplesPerPixel + "x"
                        + h.bitsAllocated + " bits need (truncated file?)");
            }
            return raw(h, h.data, h.pixelOffset, h.bigEndian, step);
        }
        if (h.fragments.isEmpty()) {
            throw new ImageDecodeException("DICOM encapsulated pixel data has no fragments");
        }
        byte[] frame = firstFrame(h);
        if (h.syntax.equals(RLE)) {
            byte[] decoded = DicomRle.decode(frame, h.rows * h.columns, h.samplesPerPixel, bytesPerSample);
            h.planarConfiguration = 0;
            return raw(h, decoded, 0, false, step);
        }
        return imageIo(h, frame, step);
    }

    /** Frame 1's bytes: its fragments joined (all of them for one frame, else the first). */
    private static byte[] firstFrame(Header h) {
        List<int[]> parts = h.fragments;
        boolean oneFrame = h.frames == null || h.frames.trim().equals("1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] f : oneFrame ? parts : parts.subList(0, 1)) {
            out.write(h.data, f[0], f[1]);
        }
        return out.toByteArray();
    }

    private static Samples raw(Header h, byte[] data, int offset, boolean bigEndian, int step) {
        int w = (h.columns + step - 1) / step;
        int hh = (h.rows + step - 1) / step;
        int bytes = h.bitsAllocated / 8;
        int spp = h.samplesPerPixel;
        boolean planar = spp > 1 && h.planarConfiguration == 1;
        int plane = h.rows * h.columns;
        int mask = h.bitsStored >= 32 ? -1 : (1 << h.bitsStored) - 1;
        boolean signed = h.pixelRepresentation == 1;
        int signBit = 1 << (h.bitsStored - 1);
        return new Samples() {
            public int width() {
                return w;
            }

            public int height() {
                return hh;
            }

            public int get(int x, int y, int c) {
                int pixel = (y * step) * h.columns + x * step;
                int index = planar ? c * plane + pixel : pixel * spp + c;
                int p = offset + index * bytes;
                int v;
                if (bytes == 1) {
                    v = data[p] & 0xff;
                } else if (bigEndian) {
                    v = ((data[p] & 0xff) << 8) | (data[p + 1] & 0xff);
                } else {
                    v = (data[p] & 0xff) | ((data[p + 1] & 0xff) << 8);
                }
                v &= mask;
                return signed && (v & signBit) != 0 ? v - (signBit << 1) : v;
            }
        };
    }

    private static Samples imageIo(Header h, byte[] frame, int step) throws ImageDecodeException {
        ImageReader reader = switch (h.syntax) {
            case JPEG_BASELINE, JPEG_EXTENDED -> Readers.jdk("jpeg");
            case JPEG_LOSSLESS, JPEG_LOSSLESS_SV1 -> Readers.of("jpeg", "com.twelvemonkeys.");
            case JPEG_2000_LOSSLESS, JPEG_2000 -> Readers.of("jpeg2000", "com.github.jaiimageio.");
            default -> throw new ImageDecodeException(unsupported(h.syntax));
        };
        List<String> warnings = new ArrayList<>();
        try (ByteImageInputStream in = new ByteImageInputStream(frame, 0, frame.length)) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((s, warning) -> {
                if (!warning.contains("ICC")) {
                    warnings.add(warning);
                }
            });
            if (reader.getWidth(0) != h.columns || reader.getHeight(0) != h.rows) {
                throw new ImageDecodeException("DICOM compressed frame is " + reader.getWidth(0) + "x"
                        + reader.getHeight(0) + " pixels but the header declares " + h.columns + "x" + h.rows);
            }
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(step, step, 0, 0);
            BufferedImage image = reader.read(0, param);
            if (!warnings.isEmpty()) {
                throw new ImageDecodeException("damaged compressed frame in DICOM: " + warnings.get(0));
            }
            Raster r = image.getRaster();
            int bands = r.getNumBands();
            h.samplesPerPixel = bands >= 3 ? 3 : 1;
            int decodedBits = r.getSampleModel().getSampleSize(0);
            if (h.bitsStored < 1 || h.bitsStored > decodedBits) {
                h.bitsStored = decodedBits;
            }
            h.decodedToRgb = true; // the decoders turn YBR into RGB
            int mask = h.bitsStored >= 32 ? -1 : (1 << h.bitsStored) - 1;
            boolean signed = h.pixelRepresentation == 1 && bands == 1;
            int signBit = 1 << (h.bitsStored - 1);
            return new Samples() {
                public int width() {
                    return r.getWidth();
                }

                public int height() {
                    return r.getHeight();
                }

                public int get(int x, int y, int c) {
                    int v = r.getSample(x, y, c) & mask;
                    return signed && (v & signBit) != 0 ? v - (signBit << 1) : v;
                }
            };
        } catch (ImageDecodeException e) {
            throw e;
        } catch (java.io.IOException | RuntimeException e) {
            String hint = h.syntax.equals(JPEG_EXTENDED) ? "; 12-bit JPEG is not read: convert it with dcmtk's"
                    + " dcmdjpeg" : "";
            throw new ImageDecodeException("DICOM compressed frame (" + h.syntax + ") could not be decoded: "
                    + e.getMessage() + hint, e);
        } finally {
            reader.dispose();
        }
    }

    private static String unsupported(String syntax) {
        String name;
        String advice;
        switch (syntax) {
            case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> {
                name = "JPEG-LS";
                advice = "dcmtk's dcmdjpls";
            }
            case "1.2.840.10008.1.2.4.201",
                    "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203" -> {
                name = "High-Throughput JPEG 2000";
                advice = "gdcmconv --raw (GDCM) or OpenJPEG";
            }
            case "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.102",
                    "1.2.840.10008.1.2.4.103", "1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.105",
                    "1.2.840.10008.1.2.4.106" -> {
                name = "MPEG video";
                advice = "a viewer that exports one frame";
            }
            default -> {
                name = "an unknown transfer syntax";
                advice = "gdcmconv --raw (GDCM)";
            }
        }
        return "DICOM transfer syntax " + syntax + " (" + name + ") is not read; convert the file to uncompressed"
                + " DICOM first, e.g. with " + advice;
    }

    private static BufferedImage toGray(Header h, Samples s, int step, double slope, double intercept,
            String photometric) throws ImageDecodeException {
        int w = s.width();
        int hh = s.height();
        int colours = h.samplesPerPixel;
        float[] values = new float[w * hh];
        for (int y = 0; y < hh; y++) {
            for (int x = 0; x < w; x++) {
                double v;
                if (colours == 1) {
                    v = s.get(x, y, 0);
                } else if (photometric.startsWith("YBR") && !h.decodedToRgb) {
                    v = s.get(x, y, 0); // Y is the luma already
                } else {
                    v = 0.299 * s.get(x, y, 0) + 0.587 * s.get(x, y, 1) + 0.114 * s.get(x, y, 2);
                }
                values[y * w + x] = (float) (v * slope + intercept);
            }
        }
        double[] window = window(h);
        double lo;
        double hi;
        if (window != null) {
            lo = window[0] - window[1] / 2;
            hi = window[0] + window[1] / 2;
        } else if (colours == 1 && h.bitsStored <= 8 && slope == 1 && intercept == 0) {
            lo = 0;
            hi = 255; // 8-bit samples are used as they are
        } else if (colours == 3) {
            lo = 0;
            hi = 255;
        } else {
            lo = Double.MAX_VALUE;
            hi = -Double.MAX_VALUE;
            for (float v : values) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        boolean invert = photometric.equals("MONOCHROME1");
        BufferedImage out = new BufferedImage(w, hh, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        double range = Math.max(hi - lo, 1e-9);
        for (int i = 0; i < values.length; i++) {
            double t = (values[i] - lo) / range;
            int g = (int) Math.round(Math.max(0, Math.min(1, t)) * 255);
            data[i] = (byte) (invert ? 255 - g : g);
        }
        return out;
    }

    private static double number(String value, double absent, String what) throws ImageDecodeException {
        if (value == null || value.isBlank()) {
            return absent;
        }
        String first = value.split("\\\\")[0].trim();
        try {
            double d = Double.parseDouble(first);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ImageDecodeException("DICOM " + what + " '" + first + "' is not a finite number");
        }
    }

    private static double[] window(Header h) {
        if (h.windowCenter == null || h.windowWidth == null) {
            return null;
        }
        try {
            // Multi-valued windows are separated by backslashes: use the first.
            double c = Double.parseDouble(h.windowCenter.split("\\\\")[0].trim());
            double w = Double.parseDouble(h.windowWidth.split("\\\\")[0].trim());
            return w > 0 && Double.isFinite(c) && Double.isFinite(w) ? new double[] {c, w} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses the meta header and the top level of the data set up to the pixel data. */
    static Header parse(byte[] bytes, int length) throws ImageDecodeException {
        if (length < PREAMBLE + 4 || !isDicom(bytes)) {
            throw new ImageDecodeException("not a DICOM file (no DICM marker)");
        }
        Header h = new Header();
        Cursor meta = new Cursor(bytes, PREAMBLE + 4, length, false, true);
        int dataStart = -1;
        while (meta.remaining() >= 8) {
            int group = meta.peekGroup();
            if (group != 0x0002) {
                dataStart = meta.pos;
                break;
            }
            Element e = meta.next();
            if (e.tag == 0x00020010) {
                h.syntax = meta.string(e).replace("\0", "").trim();
            }
            meta.skip(e);
        }
        if (h.syntax == null) {
            throw new ImageDecodeException("DICOM file has no transfer syntax (0002,0010) in its meta header");
        }
        if (dataStart < 0) {
            throw new ImageDecodeException("DICOM file ends after its meta header: no data set");
        }
        byte[] data = bytes;
        int start = dataStart;
        int end = length;
        boolean explicit = true;
        boolean big = false;
        switch (h.syntax) {
            case IMPLICIT_LE -> explicit = false;
            case EXPLICIT_LE -> { }
            case EXPLICIT_BE -> big = true;
            case DEFLATED_LE -> {
                data = inflate(bytes, dataStart, length);
                start = 0;
                end = data.length;
            }
            default -> {
                if (!ENCAPSULATED.contains(h.syntax) && !h.syntax.startsWith("1.2.840.10008.1.2.4.")) {
                    throw new ImageDecodeException(unsupported(h.syntax));
                }
                // Other encapsulated syntaxes are explicit little endian too: parse, then refuse with the name.
            }
        }
        h.data = data;
        h.bigEndian = big;
        Cursor c = new Cursor(data, start, end, big, explicit);
        while (c.remaining() >= 8) {
            Element e = c.next();
            if (e.tag == 0x7FE00010) {
                if (e.length == Cursor.UNDEFINED) {
                    h.fragments = c.fragments();
                } else {
                    h.pixelOffset = c.pos;
                    h.pixelLength = Math.min(e.length, c.remaining());
                }
                break;
            }
            switch (e.tag) {
                case 0x00280002 -> h.samplesPerPixel = c.ushort(e);
                case 0x00280004 -> h.photometric = c.string(e);
                case 0x00280006 -> h.planarConfiguration = c.ushort(e);
                case 0x00280008 -> h.frames = c.string(e);
                case 0x00280010 -> h.rows = c.ushort(e);
                case 0x00280011 -> h.columns = c.ushort(e);
                case 0x00280100 -> h.bitsAllocated = c.ushort(e);
                case 0x00280101 -> h.bitsStored = c.ushort(e);
                case 0x00280103 -> h.pixelRepresentation = c.ushort(e);
                case 0x00281050 -> h.windowCenter = c.string(e);
                case 0x00281051 -> h.windowWidth = c.string(e);
                case 0x00281052 -> h.intercept = c.string(e);
                case 0x00281053 -> h.slope = c.string(e);
                default -> { }
            }
            c.skip(e);
        }
        boolean nativeSyntax = h.syntax.equals(IMPLICIT_LE) || h.syntax.equals(EXPLICIT_LE)
                || h.syntax.equals(EXPLICIT_BE) || h.syntax.equals(DEFLATED_LE);
        boolean encapsulatedSyntax = ENCAPSULATED.contains(h.syntax);
        if (!nativeSyntax && !encapsulatedSyntax) {
            throw new ImageDecodeException(unsupported(h.syntax));
        }
        if (h.fragments != null && nativeSyntax || h.pixelOffset >= 0 && encapsulatedSyntax) {
            throw new ImageDecodeException("DICOM pixel data does not match transfer syntax " + h.syntax
                    + " (encapsulated data must be compressed, and only compressed data encapsulated)");
        }
        return h;
    }

    private static byte[] inflate(byte[] bytes, int from, int length) throws ImageDecodeException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(bytes, from, length - from);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new ImageDecodeException("DICOM deflated data set is truncated");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_INFLATED) {
                    throw new ImageDecodeException("DICOM deflated data set expands beyond "
                            + ImageDecoder.MAX_FILE_MB + " MB; refused");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new ImageDecodeException("DICOM deflated data set is damaged: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** One element's header: tag (group << 16 | element), VR (null when implicit) and value length. */
    private record Element(int tag, String vr, long length) {}

    /** Walks elements of one encoding over a byte range, never past its end. */
    private static final class Cursor {
        static final long UNDEFINED = 0xFFFFFFFFL;
        private final byte[] b;
        private final int end;
        private final boolean big;
        private final boolean explicit;
        int pos;

        Cursor(byte[] b, int pos, int end, boolean big, boolean explicit) {
            this.b = b;
            this.pos = pos;
            this.end = end;
            this.big = big;
            this.explicit = explicit;
        }

        int remaining() {
            return end - pos;
        }

        int peekGroup() {
            return u16(pos);
        }

        Element next() throws ImageDecodeException {
            need(8);
            int tag = (u16(pos) << 16) | u16(pos + 2);
            int group = tag >>> 16;
            boolean explicitHere = explicit && group != 0xFFFE;
            if (explicitHere) {
                String vr = new String(b, pos + 4, 2, StandardCharsets.US_ASCII);
                if (longForm(vr)) {
                    need(12);
                    long len = u32(pos + 8);
                    pos += 12;
                    return new Element(tag, vr, len);
                }
                long len = u16(pos + 6);
                pos += 8;
                return new Element(tag, vr, len);
            }
            long len = u32(pos + 4);
            pos += 8;
            return new Element(tag, null, len);
        }

        /** Steps over an element's value; an undefined length (a sequence) is walked item by item. */
        void skip(Element e) throws ImageDecodeException {
            if (e.length == UNDEFINED) {
                skipUndefined();
                return;
            }
            if (e.length > remaining()) {
                throw new ImageDecodeException("DICOM element (" + hex(e.tag) + ") declares " + e.length
                        + " bytes, more than the file has left (truncated or damaged header)");
            }
            pos += (int) e.length;
        }

        /** Skips a sequence or item of undefined length, up to and including its delimiter. */
        private void skipUndefined() throws ImageDecodeException {
            int depth = 0;
            while (remaining() >= 8) {
                Element e = next();
                if (e.tag == 0xFFFEE0DD || e.tag == 0xFFFEE00D) { // sequence or item delimiter
                    if (depth == 0) {
                        return;
                    }
                    depth--;
                    continue;
                }
                if (e.tag == 0xFFFEE000) {
                    if (e.length == UNDEFINED) {
                        depth++;
                    } else {
                        skip(e);
                    }
                    continue;
                }
                skip(e);
            }
            throw new ImageDecodeException("DICOM sequence has no end (truncated file)");
        }

        /** The fragments of encapsulated pixel data (after the basic offset table), as offset and length. */
        List<int[]> fragments() throws ImageDecodeException {
            List<int[]> out = new ArrayList<>();
            boolean first = true;
            while (remaining() >= 8) {
                int tag = (u16(pos) << 16) | u16(pos + 2);
                long len = u32(pos + 4);
                pos += 8;
                if (tag == 0xFFFEE0DD) {
                    return out;
                }
                if (tag != 0xFFFEE000 || len == UNDEFINED || len > remaining()) {
                    throw new ImageDecodeException("DICOM encapsulated pixel data is damaged or truncated");
                }
                if (!first) {
                    out.add(new int[] {pos, (int) len});
                }
                first = false; // the first item is the basic offset table
                pos += (int) len;
            }
            throw new ImageDecodeException("DICOM encapsulated pixel data is truncated (no sequence delimiter)");
        }

        int ushort(Element e) throws ImageDecodeException {
            if (e.length < 2 || e.length > remaining()) {
                throw new ImageDecodeException("DICOM element (" + hex(e.tag) + ") is too short for a number");
            }
            return u16(pos);
        }

        String string(Element e) throws ImageDecodeException {
            if (e.length == UNDEFINED || e.length > remaining() || e.length > 1024) {
                throw new ImageDecodeException("DICOM element (" + hex(e.tag) + ") has a bad length " + e.length);
            }
            return new String(b, pos, (int) e.length, StandardCharsets.US_ASCII).trim();
        }

        private void need(int n) throws ImageDecodeException {
            if (remaining() < n) {
                throw new ImageDecodeException("DICOM header is truncated");
            }
        }

        private int u16(int i) {
            int a = b[i] & 0xff;
            int c = b[i + 1] & 0xff;
            return big ? (a << 8) | c : a | (c << 8);
        }

        private long u32(int i) {
            long lo = u16(big ? i + 2 : i);
            long hi = u16(big ? i : i + 2);
            return (hi << 16) | lo;
        }

        private static boolean longForm(String vr) {
            return switch (vr) {
                case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
                default -> false;
            };
        }

        private static String hex(int tag) {
            return String.format(Locale.ROOT, "%04X,%04X", tag >>> 16, tag & 0xffff);
        }
    }
}
