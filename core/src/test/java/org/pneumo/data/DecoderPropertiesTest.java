package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property-based tests of the decoders: whatever the bytes (random, or a valid JPEG, PNG or DICOM with bytes changed,
 * cut or inserted), decoding gives a tensor of the right size or an {@link ImageDecodeException} with a message;
 * nothing else escapes (no runtime exception, no Error). Tries per property: junit-platform.properties in the default
 * run, more with {@code bench/fuzz-decoders.sh}.
 */
class DecoderPropertiesTest {
    static final InputSpec SPEC = new InputSpec(64, 1);
    static final ImageDecoder DECODER = new ImageDecoder(SPEC);
    static final byte[] JPEG = BadImages.encode(BadImages.noisy(160, 140, 1), "jpeg");
    static final byte[] PNG = BadImages.encode(BadImages.noisy(160, 140, 2), "png");
    static final byte[] DICOM;

    static {
        int[] s = new int[96 * 80];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextInt(4096);
        }
        DICOM = DicomFiles.gray(96, 80, 16, s, "MONOCHROME2", 2048, 4096, DicomFiles.EXPLICIT_LITTLE_ENDIAN);
    }

    /** Decodes, asserting the only two allowed outcomes. */
    static void decodesOrRefusesCleanly(byte[] bytes) {
        try {
            assertThat(DECODER.decode(bytes)).hasSize(SPEC.pixelCount());
        } catch (ImageDecodeException e) {
            assertThat(e.getMessage()).isNotBlank();
        } catch (Throwable t) {
            throw new AssertionError("escaped: " + t, t);
        }
    }

    @Property
    void randomBytes(@ForAll @Size(max = 2048) byte[] bytes) {
        decodesOrRefusesCleanly(bytes);
    }

    @Property
    void randomBytesAfterAMagicNumber(@ForAll("magic") byte[] head, @ForAll @Size(max = 2048) byte[] tail) {
        byte[] b = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, b, head.length, tail.length);
        decodesOrRefusesCleanly(b);
    }

    @Property
    void changedJpeg(@ForAll("edits") int[] edits) {
        decodesOrRefusesCleanly(apply(JPEG, edits));
    }

    @Property
    void changedPng(@ForAll("edits") int[] edits) {
        decodesOrRefusesCleanly(apply(PNG, edits));
    }

    @Property
    void changedDicomHeader(@ForAll("edits") int[] edits, @ForAll @IntRange(min = 0, max = 1) int cut) {
        // Edits land in the first 400 bytes (meta header and data set), where the parser makes its decisions.
        int[] local = edits.clone();
        for (int i = 0; i < local.length; i += 2) {
            local[i] = 128 + Math.floorMod(local[i], 272);
        }
        byte[] b = apply(DICOM, local);
        decodesOrRefusesCleanly(cut == 1 ? Arrays.copyOf(b, b.length / 2) : b);
    }

    @Provide
    Arbitrary<byte[]> magic() {
        byte[] dicm = Arrays.copyOf(new byte[128], 132);
        dicm[128] = 'D';
        dicm[129] = 'I';
        dicm[130] = 'C';
        dicm[131] = 'M';
        return Arbitraries.of(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff},
                new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}, dicm);
    }

    /** Pairs (position, new byte value); a negative value cuts the file at that position instead. */
    @Provide
    Arbitrary<int[]> edits() {
        return Arbitraries.integers().between(-64, 100_000).array(int[].class).ofMinSize(2).ofMaxSize(16)
                .filter(a -> a.length % 2 == 0);
    }

    static byte[] apply(byte[] original, int[] edits) {
        byte[] b = original.clone();
        for (int i = 0; i + 1 < edits.length; i += 2) {
            int pos = Math.floorMod(edits[i], b.length);
            if (edits[i + 1] < 0) {
                b = Arrays.copyOf(b, Math.max(1, pos));
            } else {
                b[pos] = (byte) edits[i + 1];
            }
        }
        return b;
    }
}
