package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
    @TempDir
    Path dir;

    private static double mean(byte[] pixels) {
        long sum = 0;
        for (byte b : pixels) {
            sum += b & 0xff;
        }
        return (double) sum / pixels.length;
    }

    @Test
    void grayJpegKeepsItsGrayLevels() throws Exception {
        // getRGB() would brighten 122 to about 172 through a colour-space conversion; raw samples keep it.
        Path file = SyntheticImages.write(SyntheticImages.gray(300, 200, 122), dir.resolve("g.jpeg"), "jpeg");
        byte[] out = new ImageDecoder(new InputSpec(32, 1)).decode(file);
        assertThat(out).hasSize(32 * 32);
        assertThat(mean(out)).isBetween(120.0, 124.0);
    }

    @Test
    void grayIsRepeatedForThreeChannels() throws Exception {
        Path file = SyntheticImages.write(SyntheticImages.gray(40, 40, 90), dir.resolve("g.png"), "png");
        byte[] out = new ImageDecoder(new InputSpec(16, 3)).decode(file);
        assertThat(out).hasSize(3 * 16 * 16);
        for (int i = 0; i < 16 * 16; i++) {
            assertThat(out[i]).isEqualTo((byte) 90);
            assertThat(out[256 + i]).isEqualTo((byte) 90);
            assertThat(out[512 + i]).isEqualTo((byte) 90);
        }
    }

    @Test
    void rgbBecomesLumaForOneChannelAndKeepsChannelsForThree() throws Exception {
        BufferedImage rgb = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                rgb.setRGB(x, y, (200 << 16) | (100 << 8) | 50);
            }
        }
        Path file = SyntheticImages.write(rgb, dir.resolve("c.png"), "png");
        byte[] gray = new ImageDecoder(new InputSpec(16, 1)).decode(file);
        assertThat(gray[0] & 0xff).isEqualTo(Math.round(0.299f * 200 + 0.587f * 100 + 0.114f * 50));
        byte[] three = new ImageDecoder(new InputSpec(16, 3)).decode(file);
        assertThat(new int[] {three[0] & 0xff, three[256] & 0xff, three[512] & 0xff}).containsExactly(200, 100, 50);
    }

    @Test
    void sixteenBitPngIsScaledToEightBits() throws Exception {
        BufferedImage img = new BufferedImage(30, 30, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 30; x++) {
                img.getRaster().setSample(x, y, 0, x < 15 ? 0 : 65535);
            }
        }
        Path file = SyntheticImages.write(img, dir.resolve("d.png"), "png");
        byte[] out = new ImageDecoder(new InputSpec(30, 1)).decode(file);
        assertThat(out[0] & 0xff).isZero();
        assertThat(out[29] & 0xff).isEqualTo(255);
    }

    @Test
    void shrinkingAveragesAreas() throws Exception {
        // A 1-pixel checkerboard shrunk 4x must come out mid-gray everywhere (no aliasing).
        BufferedImage img = new BufferedImage(128, 128, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                img.getRaster().setSample(x, y, 0, (x + y) % 2 == 0 ? 0 : 254);
            }
        }
        byte[] out = new ImageDecoder(new InputSpec(32, 1)).decode(img);
        for (byte b : out) {
            assertThat(b & 0xff).isEqualTo(127);
        }
    }

    @Test
    void enlargingInterpolatesBetweenNeighbours() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 0);
        img.getRaster().setSample(1, 0, 0, 200);
        byte[] out = new ImageDecoder(new InputSpec(16, 1)).decode(img);
        int left = out[0] & 0xff;
        int middle = out[8] & 0xff;
        int right = out[15] & 0xff;
        assertThat(left).isZero();
        assertThat(right).isEqualTo(200);
        assertThat(middle).isBetween(90, 130);
    }

    @Test
    void emptyFileIsRefused() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.jpeg"));
        assertThatThrownBy(() -> new ImageDecoder(new InputSpec(32, 1)).decode(file))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void textFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.png"), "this is not an image");
        assertThatThrownBy(() -> new ImageDecoder(new InputSpec(32, 1)).decode(file))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("not a JPEG, PNG or DICOM");
    }

    @Test
    void truncatedJpegIsRefused() throws Exception {
        Path good = SyntheticImages.write(SyntheticImages.gray(64, 64, 100), dir.resolve("a.jpeg"), "jpeg");
        byte[] bytes = Files.readAllBytes(good);
        Path bad = Files.write(dir.resolve("bad.jpeg"), java.util.Arrays.copyOf(bytes, 40));
        assertThatThrownBy(() -> new ImageDecoder(new InputSpec(32, 1)).decode(bad))
                .isInstanceOf(ImageDecodeException.class);
    }

    @Test
    void decompressionBombIsRefusedBeforeDecoding() throws Exception {
        // A valid small PNG whose header is rewritten to declare 100,000 x 100,000 pixels.
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(SyntheticImages.gray(8, 8, 10), "png", png);
        byte[] bytes = png.toByteArray();
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.putInt(16, 100_000).putInt(20, 100_000);
        CRC32 crc = new CRC32();
        crc.update(bytes, 12, 17); // chunk type + 13 data bytes
        buf.putInt(29, (int) crc.getValue());
        Path bomb = Files.write(dir.resolve("bomb.png"), bytes);
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThatThrownBy(() -> new ImageDecoder(new InputSpec(32, 1)).decode(bomb))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("100000x100000")
                .hasMessageContaining("refused before decoding");
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(after - before).isLessThan(500L << 20);
    }

    @Test
    void badLimitIsRejected() {
        assertThatThrownBy(() -> new ImageDecoder(new InputSpec(32, 1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max pixels 0");
    }
}
