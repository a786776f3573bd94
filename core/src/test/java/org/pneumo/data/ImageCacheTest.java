package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCacheTest {
    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder(new InputSpec(16, 1));

    /**
     * A 20x20 gray image of this level with a darker bottom-right corner (the decoder refuses blank images; the
     * top-left pixel, which the tests read, keeps the level).
     */
    private static java.awt.image.BufferedImage image(int level) {
        java.awt.image.BufferedImage image = SyntheticImages.gray(20, 20, level);
        for (int y = 16; y < 20; y++) {
            for (int x = 16; x < 20; x++) {
                image.getRaster().setSample(x, y, 0, level / 2);
            }
        }
        return image;
    }

    private List<LabeledImage> dataset() {
        SyntheticImages.write(image(10), dir.resolve("data/NORMAL/IM-0001-0001.png"), "png");
        SyntheticImages.write(image(200), dir.resolve("data/PNEUMONIA/person1_virus_1.png"),
                "png");
        return ImageFolder.list(dir.resolve("data"), true, BadFilePolicy.lenient());
    }

    private ImageSet load(ImageCache cache, List<LabeledImage> images, AtomicInteger decoded) throws Exception {
        return cache.load("train", images, decoder, new BadFilePolicy(false, s -> {}), n -> decoded.incrementAndGet());
    }

    private long cacheFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("cache"))) {
            return s.count();
        }
    }

    @Test
    void secondLoadComesFromTheCache() throws Exception {
        List<LabeledImage> images = dataset();
        ImageCache cache = new ImageCache(dir.resolve("cache"));
        AtomicInteger decoded = new AtomicInteger();
        ImageSet first = load(cache, images, decoded);
        assertThat(decoded).hasValue(2);
        ImageSet second = load(cache, images, decoded);
        assertThat(decoded).hasValue(2);
        assertThat(second.pixels(1)).isEqualTo(first.pixels(1));
        assertThat(second.pixels(1)[0] & 0xff).isEqualTo(200);
    }

    @Test
    void changedFileInvalidatesTheCache() throws Exception {
        List<LabeledImage> images = dataset();
        ImageCache cache = new ImageCache(dir.resolve("cache"));
        AtomicInteger decoded = new AtomicInteger();
        load(cache, images, decoded);
        Path changed = images.get(1).file();
        SyntheticImages.write(image(100), changed, "png");
        Files.setLastModifiedTime(changed, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        ImageSet again = load(cache, images, decoded);
        assertThat(decoded).hasValue(4);
        assertThat(again.pixels(1)[0] & 0xff).isEqualTo(100);
        assertThat(cacheFiles()).as("the stale cache file is removed").isEqualTo(1);
    }

    @Test
    void otherSpecGetsItsOwnCache() throws Exception {
        List<LabeledImage> images = dataset();
        ImageCache cache = new ImageCache(dir.resolve("cache"));
        load(cache, images, new AtomicInteger());
        ImageSet rgb = cache.load("train", images, new ImageDecoder(new InputSpec(16, 3)),
                new BadFilePolicy(false, s -> {}), n -> {});
        assertThat(rgb.pixels(0)).hasSize(3 * 16 * 16);
        assertThat(cacheFiles()).isEqualTo(2);
    }

    @Test
    void badFilesAreSkippedNamedAndCountedAgainFromTheCache() throws Exception {
        List<LabeledImage> images = new ArrayList<>(dataset());
        Path broken = Files.writeString(dir.resolve("data/NORMAL/IM-0002-0001.png"), "not a png");
        Path empty = Files.createFile(dir.resolve("data/NORMAL/IM-0003-0001.png"));
        images.add(new LabeledImage(broken, Diagnosis.NORMAL));
        images.add(new LabeledImage(empty, Diagnosis.NORMAL));
        ImageCache cache = new ImageCache(dir.resolve("cache"));
        for (int run = 0; run < 2; run++) {
            List<String> warnings = new ArrayList<>();
            ImageSet set = cache.load("train", images, decoder, new BadFilePolicy(false, warnings::add), n -> {});
            assertThat(set.size()).isEqualTo(2);
            assertThat(set.skipped()).hasSize(2);
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0)).contains("IM-0002-0001.png").contains("not a JPEG, PNG or DICOM");
            assertThat(warnings.get(1)).contains("IM-0003-0001.png").contains("empty");
        }
        assertThatThrownBy(() -> cache.load("train", images, decoder, new BadFilePolicy(true, s -> {}), n -> {}))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("IM-0002-0001.png");
    }

    @Test
    void damagedCacheFileIsRebuilt() throws Exception {
        List<LabeledImage> images = dataset();
        ImageCache cache = new ImageCache(dir.resolve("cache"));
        AtomicInteger decoded = new AtomicInteger();
        load(cache, images, decoded);
        try (Stream<Path> s = Files.list(dir.resolve("cache"))) {
            Path file = s.findFirst().orElseThrow();
            Files.write(file, new byte[] {1, 2, 3});
        }
        ImageSet set = load(cache, images, decoded);
        assertThat(decoded).hasValue(4);
        assertThat(set.size()).isEqualTo(2);
    }
}
