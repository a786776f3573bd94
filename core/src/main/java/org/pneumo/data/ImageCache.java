package org.pneumo.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.pneumo.io.AtomicFiles;

/**
 * Decodes a list of images once per input spec and keeps the uint8 result in a cache file, so later runs and epochs do
 * not decode again. The cache key covers every file's path, size and modification time, so changing, adding or
 * removing a file makes a new cache (the stale one is deleted). Cache files are written atomically.
 */
public final class ImageCache {
    // 2: the decoder reads large images subsampled and refuses damaged and degenerate ones. 3: shrinking uses a tent
    // filter instead of area averaging. 4: a resized image goes through JPEG at the training copies' quality. Any
    // change in what the decoder produces must change FORMAT.
    private static final int FORMAT = 4;
    private static final int MAGIC = 0x504E4D43; // "PNMC"

    private final Path directory;

    /** A cache kept in {@code directory} (created on first write). */
    public ImageCache(Path directory) {
        this.directory = directory;
    }

    /** The default per-user cache folder: {@code $XDG_CACHE_HOME/pneumo} or {@code ~/.cache/pneumo}. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("pneumo");
    }

    public Path directory() {
        return directory;
    }

    /**
     * Returns the decoded images, from the cache when it is current, else decoding them (in parallel) and writing the
     * cache. Bad files go to {@code policy}, also when read back from the cache, so every run names them.
     *
     * @param name a readable prefix for the cache file (e.g. the split name)
     * @param progress called with the number of images decoded so far (not called on a cache hit)
     */
    public ImageSet load(String name, List<LabeledImage> images, ImageDecoder decoder, BadFilePolicy policy,
            IntConsumer progress) throws IOException {
        InputSpec spec = decoder.spec();
        String prefix = sanitize(name) + "-" + spec.imageSize() + "x" + spec.imageSize() + "x" + spec.channels() + "-";
        Path file = directory.resolve(prefix + key(images, spec) + ".bin");
        if (Files.isRegularFile(file)) {
            try {
                return read(file, images, spec, policy);
            } catch (IOException e) {
                // A damaged cache is rebuilt, never trusted.
                Files.deleteIfExists(file);
            }
        }
        ImageSet set = decodeAll(images, decoder, policy, progress);
        write(file, images, set);
        deleteStale(prefix, file);
        return set;
    }

    /** Decodes without any cache, in parallel; the result keeps every image, in input order. */
    public static ImageSet decodeAll(List<LabeledImage> images, ImageDecoder decoder, BadFilePolicy policy,
            IntConsumer progress) throws IOException {
        int threads = ParallelDecoder.defaultThreads();
        List<LabeledImage> kept = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        int[] done = {0};
        new ParallelDecoder(threads, 4 * threads).<LabeledImage>decode(images.iterator(),
                image -> decoder.decode(image.file()), 1, chunk -> {
                    for (ParallelDecoder.Decoded<LabeledImage> d : chunk) {
                        if (d.failed()) {
                            policy.reject(new SkippedFile(d.input().file(), d.error()));
                        } else {
                            kept.add(d.input());
                            pixels.add(d.pixels());
                        }
                        progress.accept(++done[0]);
                    }
                });
        return new ImageSet(decoder.spec(), kept, pixels, policy.skipped());
    }

    static String key(List<LabeledImage> images, InputSpec spec) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update(("format=" + FORMAT + ";spec=" + spec + "\n").getBytes(StandardCharsets.UTF_8));
        for (LabeledImage image : images) {
            BasicFileAttributes attrs = Files.readAttributes(image.file(), BasicFileAttributes.class);
            String line = image.file().toAbsolutePath().normalize() + "\t" + image.label() + "\t" + attrs.size() + "\t"
                    + attrs.lastModifiedTime().toMillis() + "\n";
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 12);
    }

    private static ImageSet read(Path file, List<LabeledImage> images, InputSpec spec, BadFilePolicy policy)
            throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || in.readInt() != spec.imageSize()
                    || in.readInt() != spec.channels() || in.readInt() != images.size()) {
                throw new IOException("cache header does not match");
            }
            List<LabeledImage> kept = new ArrayList<>();
            List<byte[]> pixels = new ArrayList<>();
            for (LabeledImage image : images) {
                if (!in.readUTF().equals(image.file().toAbsolutePath().normalize().toString())) {
                    throw new IOException("cache entry does not match");
                }
                if (in.readBoolean()) {
                    byte[] p = new byte[spec.pixelCount()];
                    in.readFully(p);
                    kept.add(image);
                    pixels.add(p);
                } else {
                    policy.reject(new SkippedFile(image.file(), in.readUTF()));
                }
            }
            return new ImageSet(spec, kept, pixels, policy.skipped());
        }
    }

    private void write(Path file, List<LabeledImage> images, ImageSet set) throws IOException {
        Map<Path, byte[]> pixels = new HashMap<>();
        for (int i = 0; i < set.size(); i++) {
            pixels.put(set.image(i).file(), set.pixels(i));
        }
        Map<Path, String> reasons = new HashMap<>();
        for (SkippedFile s : set.skipped()) {
            reasons.put(s.file(), s.reason());
        }
        AtomicFiles.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            InputSpec spec = set.spec();
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(spec.imageSize());
            out.writeInt(spec.channels());
            out.writeInt(images.size());
            for (LabeledImage image : images) {
                out.writeUTF(image.file().toAbsolutePath().normalize().toString());
                byte[] p = pixels.get(image.file());
                out.writeBoolean(p != null);
                if (p != null) {
                    out.write(p);
                } else {
                    out.writeUTF(reasons.getOrDefault(image.file(), "could not be decoded"));
                }
            }
            out.flush();
        });
    }

    private void deleteStale(String prefix, Path keep) {
        try (Stream<Path> s = Files.list(directory)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (!p.equals(keep) && n.startsWith(prefix) && n.endsWith(".bin")) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean cache folder " + directory, e);
        }
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

}
