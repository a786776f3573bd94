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
                .hasMessageContaining("DICOM transfer syntax 1.2.840.10008.1.2.4.90 (JPEG 2000) is not read");
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
}
