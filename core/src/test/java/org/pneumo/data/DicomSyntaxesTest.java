package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every transfer syntax the reader takes, made from one uncompressed file by Debian's dcmtk and GDCM tools, decodes to
 * the same gray levels as its uncompressed twin (exactly when lossless, closely when lossy); JPEG-LS is refused with
 * its name. Without the tools the test is skipped, except under CI, where .ci/run installs them and it must run.
 */
class DicomSyntaxesTest {
    @TempDir
    static Path dir;

    static byte[] base8;
    static byte[] base16;
    static final ImageDecoder DECODER = new ImageDecoder(new InputSpec(64, 1));

    @BeforeAll
    static void tools() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/dcmconv")) && Files.isExecutable(Path.of(
                "/usr/bin/gdcmconv"));
        if (!present && System.getenv("CI") != null) {
            throw new IllegalStateException("dcmtk and libgdcm-tools are needed under CI (.ci/run installs them)");
        }
        Assumptions.assumeTrue(present, "dcmtk/libgdcm-tools not installed");
        Random r = new Random(5);
        int[] s8 = new int[64 * 64];
        int[] s16 = new int[64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                s8[y * 64 + x] = Math.min(255, x * 3 + y + r.nextInt(10));
                s16[y * 64 + x] = x * 60 + y * 3 + r.nextInt(50);
            }
        }
        base8 = DicomFiles.gray(64, 64, 8, s8, "MONOCHROME2", 0, 0, DicomFiles.EXPLICIT_LITTLE_ENDIAN);
        base16 = DicomFiles.gray(64, 64, 16, s16, "MONOCHROME2", 2048, 4096, DicomFiles.EXPLICIT_LITTLE_ENDIAN);
    }

    /** Runs {@code tool args... in out} on {@code input} and returns the output file's bytes. */
    static byte[] convert(byte[] input, String command) throws IOException, InterruptedException {
        Path in = Files.createTempFile(dir, "in", ".dcm");
        Path out = dir.resolve("out-" + System.nanoTime() + ".dcm");
        Files.write(in, input);
        List<String> cmd = new ArrayList<>(List.of(command.split(" ")));
        cmd.add(in.toString());
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(command + ": " + log).isZero();
        return Files.readAllBytes(out);
    }

    static double meanAbsoluteDifference(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }

    @ParameterizedTest(name = "{0} from {1}-bit")
    @CsvSource({
        "dcmconv +ti, 8, 0", "dcmconv +ti, 16, 0",
        "dcmconv +tb, 8, 0", "dcmconv +tb, 16, 0",
        "dcmconv +td, 8, 0", "dcmconv +td, 16, 0",
        "dcmcrle, 8, 0", "dcmcrle, 16, 0",
        "dcmcjpeg +el, 8, 0", "dcmcjpeg +el, 16, 0",
        "dcmcjpeg +e1, 8, 0", "dcmcjpeg +e1, 16, 0",
        "gdcmconv --j2k, 8, 0", "gdcmconv --j2k, 16, 0",
        "dcmcjpeg +eb, 8, 3", "dcmcjpeg +ee, 8, 3",
    })
    void eachSyntaxDecodesLikeItsUncompressedTwin(String command, int bits, double tolerance) throws Exception {
        byte[] twin = bits == 8 ? base8 : base16;
        byte[] expected = DECODER.decode(twin);
        byte[] actual = DECODER.decode(convert(twin, command));
        if (tolerance == 0) {
            assertThat(actual).isEqualTo(expected);
        } else {
            assertThat(meanAbsoluteDifference(actual, expected)).isLessThan(tolerance);
        }
    }

    @Test
    void jpegLsIsRefusedByName() throws Exception {
        byte[] ls = convert(base8, "dcmcjpls");
        assertThatThrownBy(() -> DECODER.decode(ls)).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("1.2.840.10008.1.2.4.80 (JPEG-LS)").hasMessageContaining("dcmdjpls");
    }

    @Test
    void rgbIsReadAsLuma() throws Exception {
        // img2dcm wraps a colour JPEG as it is (JPEG baseline, YBR); dcmdjpeg turns that into native RGB.
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(64, 64,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int v = 40 + x * 2 + y;
                rgb.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        Path jpeg = dir.resolve("rgb.jpeg");
        javax.imageio.ImageIO.write(rgb, "jpeg", jpeg.toFile());
        Path wrapped = dir.resolve("rgb.dcm");
        Process p = new ProcessBuilder("img2dcm", jpeg.toString(), wrapped.toString()).redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(log).isZero();
        byte[] fromJpeg = DECODER.decode(Files.readAllBytes(wrapped));
        byte[] direct = DECODER.decode(jpeg);
        assertThat(meanAbsoluteDifference(fromJpeg, direct)).isLessThan(1.5);
        byte[] nativeRgb = convert(Files.readAllBytes(wrapped), "dcmdjpeg");
        assertThat(meanAbsoluteDifference(DECODER.decode(nativeRgb), direct)).isLessThan(1.5);
    }

    @Test
    void multiFrameFilesGiveFrameOne() throws Exception {
        byte[] plain = base8;
        int at = DicomFiles.pixelDataAt(plain);
        byte[] frames = new byte[2 * 64 * 64];
        System.arraycopy(plain, at + 12, frames, 0, 64 * 64);
        java.util.Arrays.fill(frames, 64 * 64, frames.length, (byte) 200); // frame 2: different
        byte[] two = DicomReaderTest.concat(java.util.Arrays.copyOf(plain, at),
                DicomFiles.explicitElement(0x0028, 0x0008, "IS", "2 ".getBytes()),
                DicomFiles.explicitElement(0x7FE0, 0x0010, "OB", frames));
        assertThat(DECODER.decode(two)).isEqualTo(DECODER.decode(plain));
        // The same through RLE (one fragment per frame).
        assertThat(DECODER.decode(convert(two, "dcmcrle"))).isEqualTo(DECODER.decode(plain));
    }
}
