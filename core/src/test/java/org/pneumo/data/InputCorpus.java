package org.pneumo.data;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The standing guard's corpus: well-formed, unusual, damaged and lying files, made here (nothing copied in), each with
 * the documented outcome: read, or refused with a reason that contains {@link Case#reason}. The sizes suit any model
 * input up to 224 pixels (the shortest accepted side is then 128).
 */
public final class InputCorpus {
    private InputCorpus() {}

    /** One file: a name (its extension is the one a user would give it), its bytes, and what must happen. */
    public record Case(String name, byte[] bytes, String reason) {
        /** Whether the file must be read (else refused). */
        public boolean readable() {
            return reason == null;
        }

        /** The media type a client would send for it, by its name (deliberately not by its bytes). */
        public String mediaType() {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            return n.endsWith(".png") ? "image/png" : n.endsWith(".dcm") ? "application/dicom"
                    : n.endsWith(".jpeg") || n.endsWith(".jpg") ? "image/jpeg" : "application/octet-stream";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every case; {@code withHuge} adds the 12000x8000 PNG (a few MB, slower to decode). */
    public static List<Case> cases(boolean withHuge) {
        List<Case> c = new ArrayList<>();
        BufferedImage xray = BadImages.noisy(300, 260, 11);
        byte[] jpeg = BadImages.encode(xray, "jpeg");
        byte[] png = BadImages.encode(xray, "png");
        // Read.
        c.add(ok("gray.jpeg", jpeg));
        c.add(ok("gray.png", png));
        c.add(ok("png-named.jpeg", png));
        c.add(ok("rgb.jpg", BadImages.encode(toRgb(xray), "jpeg")));
        c.add(ok("sixteen-bit.png", BadImages.encode(sixteenBit(xray), "png")));
        c.add(ok("exif-rotated.jpeg", BadImages.withExifOrientation(jpeg, 6)));
        c.add(ok("trailing-zeros.jpeg", Arrays.copyOf(jpeg, jpeg.length + 64)));
        c.add(ok("mono2-16bit.dcm", dicom(16, "MONOCHROME2", 1)));
        c.add(ok("mono1-8bit.dcm", dicom(8, "MONOCHROME1", 1)));
        c.add(ok("big-endian-like-name.dcm", dicom(16, "MONOCHROME2", 2)));
        c.add(ok("elongated-3-to-1.png", BadImages.encode(BadImages.noisy(600, 200, 12), "png")));
        if (withHuge) {
            c.add(ok("huge-12000x8000.png", BadImages.bigPng(12000, 8000)));
        }
        // Refused.
        c.add(bad("empty.jpeg", new byte[0], "empty"));
        c.add(bad("notes.png", "just some text, not an image".getBytes(StandardCharsets.US_ASCII), "not a JPEG, PNG"));
        c.add(bad("random.jpeg", random(5000, 1), "not a JPEG, PNG"));
        for (double f : new double[] {0.5, 0.9, 0.99}) {
            c.add(bad("cut-" + (int) (f * 100) + ".jpeg", BadImages.cut(jpeg, f), "incomplete JPEG"));
        }
        byte[] cut = BadImages.cut(jpeg, 0.7);
        byte[] fakeEnd = Arrays.copyOf(cut, cut.length + 2);
        fakeEnd[cut.length] = (byte) 0xff;
        fakeEnd[cut.length + 1] = (byte) 0xd9;
        c.add(bad("cut-with-end-marker.jpeg", fakeEnd, "damaged JPEG"));
        c.add(bad("declares-10000x9999.jpeg", BadImages.jpegDeclaring(jpeg, 10000, 9999), "damaged JPEG"));
        c.add(bad("declares-5000x5000.jpeg", BadImages.jpegDeclaring(jpeg, 5000, 5000), "damaged JPEG"));
        c.add(bad("cut-90.png", BadImages.cut(png, 0.9), "incomplete PNG"));
        c.add(bad("no-iend.png", BadImages.withoutIend(png), "incomplete PNG"));
        c.add(bad("bomb-100000x100000.png", pngDeclaring(100_000, 100_000), "refused before decoding"));
        c.add(bad("gif-named.jpeg", BadImages.encode(xray, "gif"), "GIF images are not read"));
        c.add(bad("bmp-named.jpeg", BadImages.encode(toRgb(xray), "bmp"), "BMP images are not read"));
        c.add(bad("tiff-named.png", BadImages.encode(xray, "tiff"), "TIFF images are not read"));
        c.add(bad("webp.jpeg", webpHeader(), "WebP images are not read"));
        c.add(bad("one-pixel.png", BadImages.encode(SyntheticImages.gray(1, 1, 0), "png"), "1x1"));
        c.add(bad("black.png", BadImages.encode(SyntheticImages.gray(300, 300, 0), "png"), "blank"));
        c.add(bad("white.jpeg", BadImages.encode(SyntheticImages.gray(300, 300, 255), "jpeg"), "blank"));
        c.add(bad("strip-8-to-1.png", BadImages.encode(BadImages.noisy(1600, 200, 13), "png"), "elongated"));
        byte[] d = dicom(16, "MONOCHROME2", 1);
        c.add(bad("short-pixels.dcm", Arrays.copyOf(d, d.length - 1000), "fewer than"));
        c.add(bad("slope-zero.dcm", DicomFiles.withElements(d, DicomFiles.explicitElement(0x0028, 0x1053, "DS",
                DicomFiles.decimal("0"))), "rescale slope"));
        c.add(bad("slope-nan.dcm", DicomFiles.withElements(d, DicomFiles.explicitElement(0x0028, 0x1053, "DS",
                DicomFiles.decimal("NaN"))), "rescale slope"));
        c.add(bad("jpeg-ls.dcm", DicomFiles.gray(200, 200, 8, new int[200 * 200], "MONOCHROME2", 0, 0,
                "1.2.840.10008.1.2.4.80"), "JPEG-LS"));
        c.add(bad("header-only.dcm", Arrays.copyOf(d, 300), "DICOM"));
        c.add(bad("dicm-only.dcm", Arrays.copyOf(d, 132), "DICOM"));
        return c;
    }

    private static Case ok(String name, byte[] bytes) {
        return new Case(name, bytes, null);
    }

    private static Case bad(String name, byte[] bytes, String reason) {
        return new Case(name, bytes, reason);
    }

    private static BufferedImage toRgb(BufferedImage gray) {
        BufferedImage rgb = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(gray, 0, 0, null);
        return rgb;
    }

    private static BufferedImage sixteenBit(BufferedImage gray) {
        BufferedImage out = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < gray.getHeight(); y++) {
            for (int x = 0; x < gray.getWidth(); x++) {
                out.getRaster().setSample(x, y, 0, gray.getRaster().getSample(x, y, 0) * 257);
            }
        }
        return out;
    }

    private static byte[] dicom(int bits, String photometric, long seed) {
        Random r = new Random(seed);
        int[] s = new int[200 * 200];
        for (int i = 0; i < s.length; i++) {
            s[i] = bits == 8 ? 30 + r.nextInt(200) : r.nextInt(4096);
        }
        return DicomFiles.gray(200, 200, bits, s, photometric, bits == 16 ? 2048 : 0, bits == 16 ? 4096 : 0,
                DicomFiles.EXPLICIT_LITTLE_ENDIAN);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] webpHeader() {
        byte[] b = Arrays.copyOf("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII), 200);
        return b;
    }

    /** A small valid PNG whose header is rewritten to declare {@code width x height}. */
    static byte[] pngDeclaring(int width, int height) {
        byte[] bytes = BadImages.encode(SyntheticImages.gray(8, 8, 10), "png");
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(bytes, 12, 17);
        buf.putInt(29, (int) crc.getValue());
        return bytes;
    }
}
