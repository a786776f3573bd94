package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomReaderTest {
    @TempDir
    Path dir;

    /** A 16-wide ramp, 16 rows: sample x * step. */
    private static int[] ramp(int step) {
        int[] s = new int[16 * 16];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                s[y * 16 + x] = x * step;
            }
        }
        return s;
    }

    private byte[] decode(byte[] dicom) throws Exception {
        Path file = Files.write(dir.resolve("x.dcm"), dicom);
        return new ImageDecoder(new InputSpec(16, 1)).decode(file);
    }

    @Test
    void eightBitMonochrome2WithoutWindowKeepsItsValues() throws Exception {
        byte[] out = decode(DicomFiles.gray(16, 16, 8, ramp(10), "MONOCHROME2", 0, 0,
                DicomFiles.EXPLICIT_LITTLE_ENDIAN));
        assertThat(out[0] & 0xff).isEqualTo(0);
        assertThat(out[7] & 0xff).isEqualTo(70);
        assertThat(out[15] & 0xff).isEqualTo(150);
    }

    @Test
    void sixteenBitWithoutWindowIsStretchedOverItsRange() throws Exception {
        byte[] out = decode(DicomFiles.gray(16, 16, 16, ramp(200), "MONOCHROME2", 0, 0,
                DicomFiles.EXPLICIT_LITTLE_ENDIAN));
        assertThat(out[0] & 0xff).isEqualTo(0);
        assertThat(out[15] & 0xff).isEqualTo(255);
    }

    @Test
    void sixteenBitWindowIsApplied() throws Exception {
        // Samples 0..3000 in steps of 200; window centre 1000, width 1000 -> 500 maps to 0 and 1500 to 255.
        byte[] out = decode(DicomFiles.gray(16, 16, 16, ramp(200), "MONOCHROME2", 1000, 1000,
                DicomFiles.EXPLICIT_LITTLE_ENDIAN));
        assertThat(out[2] & 0xff).as("400, below the window").isZero();
        assertThat(out[5] & 0xff).as("1000, the centre").isBetween(125, 130);
        assertThat(out[8] & 0xff).as("1600, above the window").isEqualTo(255);
    }

    @Test
    void monochrome1IsInverted() throws Exception {
        byte[] out = decode(DicomFiles.gray(16, 16, 16, ramp(200), "MONOCHROME1", 0, 0,
                DicomFiles.EXPLICIT_LITTLE_ENDIAN));
        assertThat(out[0] & 0xff).isEqualTo(255);
        assertThat(out[15] & 0xff).isEqualTo(0);
    }

    @Test
    void compressedTransferSyntaxIsAClearPerFileError() {
        byte[] dicom = DicomFiles.gray(16, 16, 8, ramp(10), "MONOCHROME2", 0, 0, DicomFiles.JPEG_2000);
        assertThatThrownBy(() -> decode(dicom))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("does not match transfer syntax 1.2.840.10008.1.2.4.90");
    }

    @Test
    void hugeDeclaredSizeIsRefusedBeforeDecoding() throws Exception {
        byte[] dicom = DicomFiles.gray(16, 16, 8, ramp(10), "MONOCHROME2", 0, 0, DicomFiles.EXPLICIT_LITTLE_ENDIAN);
        Path file = Files.write(dir.resolve("big.dcm"), dicom);
        assertThatThrownBy(() -> new ImageDecoder(new InputSpec(16, 1), 10).decode(file))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("16x16")
                .hasMessageContaining("refused before decoding");
    }

    @Test
    void dicomFilesAreListedInClassFolders() throws Exception {
        Files.createDirectories(dir.resolve("d/NORMAL"));
        Files.createDirectories(dir.resolve("d/PNEUMONIA"));
        Files.write(dir.resolve("d/NORMAL/a.dcm"), DicomFiles.gray(16, 16, 8, ramp(10), "MONOCHROME2", 0, 0,
                DicomFiles.EXPLICIT_LITTLE_ENDIAN));
        Files.write(dir.resolve("d/PNEUMONIA/b.DCM"), DicomFiles.gray(16, 16, 8, ramp(10), "MONOCHROME2", 0, 0,
                DicomFiles.EXPLICIT_LITTLE_ENDIAN));
        assertThat(ImageFolder.list(dir.resolve("d"), true, BadFilePolicy.lenient())).hasSize(2);
    }

    private static byte[] plain16() {
        return DicomFiles.gray(16, 16, 16, ramp(200), "MONOCHROME2", 0, 0, DicomFiles.EXPLICIT_LITTLE_ENDIAN);
    }

    @Test
    void aLookAlikeRowsTagInsideAnotherValueIsNotTaken() throws Exception {
        // A private OB value whose bytes look like Rows/Columns of 60000: only the real elements count.
        byte[] fake = new byte[24];
        byte[] rows = DicomFiles.explicitElement(0x0028, 0x0010, "US", DicomFiles.ushort(60000));
        byte[] cols = DicomFiles.explicitElement(0x0028, 0x0011, "US", DicomFiles.ushort(60000));
        System.arraycopy(rows, 0, fake, 0, rows.length);
        System.arraycopy(cols, 0, fake, rows.length, cols.length);
        byte[] decoy = DicomFiles.explicitElement(0x0009, 0x1010, "OB", fake);
        byte[] plain = plain16();
        byte[] dicom = new byte[plain.length + decoy.length];
        // Insert the decoy right after the meta header, before the real (0028,xxxx) elements.
        int at = indexOf(plain, new byte[] {0x08, 0x00, 0x60, 0x00});
        System.arraycopy(plain, 0, dicom, 0, at);
        System.arraycopy(decoy, 0, dicom, at, decoy.length);
        System.arraycopy(plain, at, dicom, at + decoy.length, plain.length - at);
        byte[] out = decode(dicom);
        assertThat(out[0] & 0xff).isZero();
        assertThat(out[15] & 0xff).isEqualTo(255);
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 132; i < b.length - what.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    @Test
    void pixelDataShorterThanDeclaredIsRefused() {
        byte[] plain = plain16();
        assertThatThrownBy(() -> decode(java.util.Arrays.copyOf(plain, plain.length - 100)))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("pixel data has 412 bytes, fewer than the 512");
        // A lying length field: the element claims more than the file holds.
        assertThatThrownBy(() -> decode(java.util.Arrays.copyOf(plain, DicomFiles.pixelDataAt(plain) + 40)))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("fewer than the 512");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0", "NaN", "abc", "Infinity"})
    void unusableRescaleSlopesAreRefusedWithoutTouchingTheConsole(String slope) {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed));
        try {
            byte[] dicom = DicomFiles.withElements(plain16(),
                    DicomFiles.explicitElement(0x0028, 0x1053, "DS", DicomFiles.decimal(slope)));
            assertThatThrownBy(() -> decode(dicom))
                    .isInstanceOf(ImageDecodeException.class)
                    .hasMessageContaining("rescale slope");
        } finally {
            System.setOut(stdout);
        }
        assertThat(printed.size()).isZero();
    }

    @Test
    void rescaleSlopeAndInterceptAreApplied() throws Exception {
        // Slope -1 flips the ramp; the window is in rescaled units.
        byte[] dicom = DicomFiles.withElements(plain16(), concat(
                DicomFiles.explicitElement(0x0028, 0x1052, "DS", DicomFiles.decimal("0")),
                DicomFiles.explicitElement(0x0028, 0x1053, "DS", DicomFiles.decimal("-1"))));
        byte[] out = decode(dicom);
        assertThat(out[0] & 0xff).isEqualTo(255);
        assertThat(out[15] & 0xff).isZero();
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aBlankDicomIsRefused() {
        byte[] dicom = DicomFiles.gray(16, 16, 16, new int[256], "MONOCHROME2", 0, 0,
                DicomFiles.EXPLICIT_LITTLE_ENDIAN);
        assertThatThrownBy(() -> decode(dicom)).isInstanceOf(ImageDecodeException.class).hasMessageContaining("blank");
    }

    @Test
    void unknownSyntaxesAreNamedWithFittingAdvice() {
        byte[] ls = DicomFiles.gray(16, 16, 8, ramp(10), "MONOCHROME2", 0, 0, "1.2.840.10008.1.2.4.80");
        assertThatThrownBy(() -> decode(ls)).hasMessageContaining("(JPEG-LS)").hasMessageContaining("dcmdjpls");
        byte[] odd = DicomFiles.gray(16, 16, 8, ramp(10), "MONOCHROME2", 0, 0, "1.2.3.4");
        assertThatThrownBy(() -> decode(odd)).hasMessageContaining("1.2.3.4 (an unknown transfer syntax)")
                .hasMessageContaining("gdcmconv");
    }
}
