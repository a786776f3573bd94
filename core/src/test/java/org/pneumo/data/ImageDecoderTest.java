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
        BufferedImage halves = SyntheticImages.gray(300, 200, 120);
        for (int y = 0; y < 200; y++) {
            for (int x = 150; x < 300; x++) {
                halves.getRaster().setSample(x, y, 0, 124);
            }
        }
        Path file = SyntheticImages.write(halves, dir.resolve("g.jpeg"), "jpeg");
        byte[] out = new ImageDecoder(new InputSpec(32, 1)).decode(file);
        assertThat(out).hasSize(32 * 32);
        assertThat(mean(out)).isBetween(120.0, 124.0);
    }

    @Test
    void grayIsRepeatedForThreeChannels() throws Exception {
        byte[] out = new ImageDecoder(new InputSpec(16, 3)).decode(SyntheticImages.gray(40, 40, 90));
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
                rgb.setRGB(x, y, (150 << 16) | (130 << 8) | 110); // a tinted scan: 40 levels of colour
            }
        }
        Path file = SyntheticImages.write(rgb, dir.resolve("c.png"), "png");
        byte[] gray = new ImageDecoder(new InputSpec(16, 1)).decode(file);
        assertThat(gray[0] & 0xff).isEqualTo(Math.round(0.299f * 150 + 0.587f * 130 + 0.114f * 110));
        byte[] three = new ImageDecoder(new InputSpec(16, 3)).decode(file);
        assertThat(new int[] {three[0] & 0xff, three[256] & 0xff, three[512] & 0xff}).containsExactly(150, 130, 110);
    }

    @Test
    void stronglyColouredPicturesAreRefusedAndAColouredMarkOnAnXrayIsNot() throws Exception {
        BufferedImage photo = new BufferedImage(200, 160, BufferedImage.TYPE_INT_RGB);
        BufferedImage marked = new BufferedImage(200, 160, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(3);
        for (int y = 0; y < 160; y++) {
            for (int x = 0; x < 200; x++) {
                int v = 60 + random.nextInt(120);
                // The photo: half of it sky blue, the rest gray; the X-ray: gray with a red label in one corner.
                photo.setRGB(x, y, y < 80 ? (90 << 16) | (150 << 8) | 230 : (v << 16) | (v << 8) | v);
                marked.setRGB(x, y, x < 40 && y < 30 ? 220 << 16 : (v << 16) | (v << 8) | v);
            }
        }
        ImageDecoder decoder = new ImageDecoder(new InputSpec(64, 1));
        Path photoFile = SyntheticImages.write(photo, dir.resolve("photo.png"), "png");
        assertThatThrownBy(() -> decoder.decode(photoFile)).isInstanceOf(ImageDecodeException.class)
                .hasMessageStartingWith("image is strongly coloured (50% of its pixels): an X-ray is gray");
        assertThat(decoder.decode(SyntheticImages.write(marked, dir.resolve("marked.png"), "png"))).hasSize(64 * 64);
        // A colour JPEG (chroma subsampled, YCbCr) is judged the same way.
        Path photoJpeg = SyntheticImages.write(photo, dir.resolve("photo.jpeg"), "jpeg");
        assertThatThrownBy(() -> decoder.decode(photoJpeg)).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("strongly coloured");
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
    void shrinkingDoesNotAlias() throws Exception {
        // A 1-pixel checkerboard shrunk 4x must come out mid-gray everywhere (no aliasing); the tent filter is
        // clipped at the image's corners, where it comes out at 126 or 128.
        BufferedImage img = new BufferedImage(128, 128, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                img.getRaster().setSample(x, y, 0, (x + y) % 2 == 0 ? 0 : 254);
            }
        }
        byte[] out = new ImageDecoder(new InputSpec(32, 1)).decode(img);
        for (byte b : out) {
            assertThat(b & 0xff).isBetween(126, 128);
        }
        assertThat(out[33] & 0xff).isEqualTo(127);
    }

    @Test
    void anImageUpToTheCopiesSizeComesOutExactlyAndALargerOneIsMadeIntoACopyFirst() throws Exception {
        java.util.Random random = new java.util.Random(4);
        BufferedImage exact = new BufferedImage(224, 224, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage large = new BufferedImage(448, 448, BufferedImage.TYPE_BYTE_GRAY);
        for (BufferedImage img : new BufferedImage[] {exact, large}) {
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.getRaster().setSample(x, y, 0, 60 + x / 4 + random.nextInt(40));
                }
            }
        }
        ImageDecoder decoder = new ImageDecoder(new InputSpec(224, 1));
        byte[] raster = ((java.awt.image.DataBufferByte) exact.getRaster().getDataBuffer()).getData();
        assertThat(decoder.decode(exact)).as("the training copies' own size: no resize, no JPEG").isEqualTo(raster);
        // The larger image becomes a training copy: the tent filter to 224 pixels, then a JPEG round trip at quality
        // 0.75; close to the filtered pixels but not equal to them (compression noise), equal to the round trip here.
        float[] plane = new float[448 * 448];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = large.getRaster().getSample(i % 448, i / 448, 0);
        }
        float[] filtered = Resampler.resize(plane, 448, 448, 224, 224);
        BufferedImage small = new BufferedImage(224, 224, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < filtered.length; i++) {
            small.getRaster().setSample(i % 224, i / 224, 0, Math.max(0, Math.min(255, Math.round(filtered[i]))));
        }
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.75f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(small, null, null), param);
        }
        writer.dispose();
        BufferedImage back = ImageIO.read(new java.io.ByteArrayInputStream(bytes.toByteArray()));
        byte[] expected = ((java.awt.image.DataBufferByte) back.getRaster().getDataBuffer()).getData();
        byte[] resized = decoder.decode(large);
        assertThat(resized).isEqualTo(expected);
        double diff = 0;
        for (int i = 0; i < resized.length; i++) {
            diff += Math.abs((resized[i] & 0xff) - Math.round(filtered[i]));
        }
        assertThat(diff / resized.length).as("JPEG noise, gray levels").isBetween(0.2, 8.0);
        // A smaller network gets the copy resized again, as it would get the copy itself.
        ImageDecoder small64 = new ImageDecoder(new InputSpec(64, 1));
        assertThat(small64.decode(large)).isEqualTo(small64.decode(back));
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

    private static final InputSpec SPEC = new InputSpec(32, 1);

    private static ImageDecodeException refusal(byte[] bytes) {
        try {
            new ImageDecoder(SPEC).decode(bytes);
        } catch (ImageDecodeException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("not a clean refusal: " + e, e);
        }
        throw new AssertionError("decoded, but should have been refused");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(doubles = {0.5, 0.9, 0.99})
    void truncatedJpegsAreRefusedWhereverTheyAreCut(double fraction) {
        byte[] jpeg = BadImages.encode(BadImages.noisy(300, 300, 1), "jpeg");
        assertThat(refusal(BadImages.cut(jpeg, fraction))).hasMessageContaining("incomplete JPEG");
    }

    @Test
    void jpegCutButGivenAnEndMarkerIsCaughtByTheDecoderWarning() {
        byte[] jpeg = BadImages.encode(BadImages.noisy(300, 300, 2), "jpeg");
        byte[] cut = BadImages.cut(jpeg, 0.7);
        byte[] lying = java.util.Arrays.copyOf(cut, cut.length + 2);
        lying[cut.length] = (byte) 0xff;
        lying[cut.length + 1] = (byte) 0xd9;
        assertThat(refusal(lying)).hasMessageContaining("damaged JPEG");
    }

    @Test
    void smallJpegDeclaringAHugeImageIsRefusedWithoutAllocatingIt() {
        byte[] jpeg = BadImages.jpegDeclaring(BadImages.encode(BadImages.noisy(300, 300, 3), "jpeg"), 10000, 9999);
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        assertThat(refusal(jpeg)).hasMessageContaining("damaged JPEG");
        // A full decode would allocate 100 MB for the pixels alone; the subsampled read holds 128x128 of them.
        assertThat(mx.getCurrentThreadAllocatedBytes() - before).isLessThan(32L << 20);
    }

    @Test
    void truncatedAndEndlessPngsAreRefused() {
        byte[] png = BadImages.encode(BadImages.noisy(300, 300, 4), "png");
        assertThat(refusal(BadImages.cut(png, 0.9))).hasMessageContaining("incomplete PNG");
        assertThat(refusal(BadImages.withoutIend(png))).hasMessageContaining("incomplete PNG");
        byte[] damaged = png.clone();
        for (int i = png.length / 2; i < png.length / 2 + 64; i++) {
            damaged[i] ^= 0x5a;
        }
        assertThat(refusal(damaged).getMessage()).containsAnyOf("PNG", "damaged", "corrupt");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"gif,GIF", "bmp,BMP", "tiff,TIFF"})
    void otherFormatsAreRefusedByTheirBytesWhateverTheirName(String format, String name) throws Exception {
        Path file = Files.write(dir.resolve("xray.jpeg"), BadImages.encode(BadImages.noisy(200, 200, 5), format));
        assertThatThrownBy(() -> new ImageDecoder(SPEC).decode(file))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining(name + " images are not read");
    }

    @Test
    void aPngNamedJpegIsReadAsPng() throws Exception {
        Path file = Files.write(dir.resolve("xray.jpeg"), BadImages.encode(BadImages.noisy(200, 200, 6), "png"));
        assertThat(new ImageDecoder(SPEC).decode(file)).hasSize(32 * 32);
    }

    @Test
    void largeImagesAreReadAtReducedResolutionAndStillPredicted() throws Exception {
        Path file = Files.write(dir.resolve("big.png"), BadImages.bigPng(12000, 8000));
        ImageDecoder decoder = new ImageDecoder(new InputSpec(224, 1));
        BufferedImage read = decoder.read(file);
        // At most (4 x 224)^2 pixels are held: 12000x8000 is read every 11th pixel.
        assertThat((long) read.getWidth() * read.getHeight()).isLessThanOrEqualTo(896L * 896);
        assertThat(read.getWidth()).isEqualTo(1091);
        byte[] out = decoder.decode(file);
        assertThat(out[224 * 100 + 10] & 0xff).isBetween(38, 45);
        assertThat(out[224 * 100 + 210] & 0xff).isBetween(198, 205);
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        BufferedImage wide = SyntheticImages.gray(200, 100, 30);
        for (int y = 0; y < 100; y++) {
            for (int x = 100; x < 200; x++) {
                wide.getRaster().setSample(x, y, 0, 220); // bright right half
            }
        }
        byte[] jpeg = BadImages.encode(wide, "jpeg");
        ImageDecoder decoder = new ImageDecoder(new InputSpec(64, 1)); // no subsampling at this size
        BufferedImage upright = decoder.read(BadImages.withExifOrientation(jpeg, 6));
        // Rotated 90 degrees clockwise: 100 wide, 200 high, the bright half now at the bottom.
        assertThat(upright.getWidth()).isEqualTo(100);
        assertThat(upright.getHeight()).isEqualTo(200);
        assertThat(upright.getRaster().getSample(50, 20, 0)).isLessThan(60);
        assertThat(upright.getRaster().getSample(50, 180, 0)).isGreaterThan(190);
        BufferedImage asStored = decoder.read(BadImages.withExifOrientation(jpeg, 1));
        assertThat(asStored.getWidth()).isEqualTo(200);
    }

    @Test
    void degenerateImagesAreRefusedWithAReason() {
        assertThat(refusal(BadImages.encode(SyntheticImages.gray(1, 1, 0), "png")))
                .hasMessageContaining("1x1").hasMessageContaining("under 32 pixels a side");
        assertThat(refusal(BadImages.encode(SyntheticImages.gray(300, 300, 0), "png")))
                .hasMessageContaining("blank");
        assertThat(refusal(BadImages.encode(SyntheticImages.gray(300, 300, 255), "jpeg")))
                .hasMessageContaining("blank");
        assertThat(refusal(BadImages.encode(BadImages.noisy(1000, 100, 7), "png")))
                .hasMessageContaining("more elongated than 4:1");
        assertThat(new ImageDecoder(new InputSpec(224, 1)).minSide()).isEqualTo(128);
    }
}
