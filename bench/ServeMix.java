import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Load on a running {@code pneumo serve} with large and malformed uploads in the mix, loopback only: C clients post,
 * in turn, a real X-ray JPEG, a 12000x8000 PNG, an 8 KB-class JPEG whose header declares 10000x9999, the X-ray cut at
 * 90%, and random bytes, for S seconds; prints the answers per kind and status (a 500 is a failure of the server).
 * Run by bench/serve-mix.sh, which reports the server's peak resident memory.
 *
 * <p>Usage: java bench/ServeMix.java PORT JPEG CLIENTS SECONDS
 */
public final class ServeMix {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] jpeg = Files.readAllBytes(Path.of(args[1]));
        int clients = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        if (clients < 1 || clients > 64 || seconds < 1 || seconds > 120) {
            throw new IllegalArgumentException("clients must be in [1, 64] and seconds in [1, 120]");
        }
        Map<String, byte[]> kinds = new java.util.LinkedHashMap<>();
        kinds.put("xray.jpeg", jpeg);
        kinds.put("12000x8000.png", bigPng(12000, 8000));
        kinds.put("declares-10000x9999.jpeg", declaring(jpeg, 10000, 9999));
        kinds.put("cut-90.jpeg", Arrays.copyOf(jpeg, jpeg.length * 9 / 10));
        byte[] random = new byte[200_000];
        new Random(1).nextBytes(random);
        kinds.put("random.bin", random);
        for (Map.Entry<String, byte[]> k : kinds.entrySet()) {
            System.out.printf(Locale.ROOT, "# %s: %d bytes%n", k.getKey(), k.getValue().length);
        }
        List<String> names = new ArrayList<>(kinds.keySet());
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/predictions");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int first = c;
            Thread t = new Thread(() -> {
                for (int i = first; System.nanoTime() < end; i++) {
                    String name = names.get(i % names.size());
                    HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type",
                            name.endsWith(".png") ? "image/png" : "image/jpeg").timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(kinds.get(name))).build();
                    String key;
                    try {
                        key = name + " -> HTTP " + http.send(request, HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                    } catch (Exception e) {
                        key = name + " -> " + e.getClass().getSimpleName();
                    }
                    answers.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        new TreeMap<>(answers).forEach((k, v) -> System.out.printf(Locale.ROOT, "%s: %d%n", k, v.get()));
        if (answers.keySet().stream().anyMatch(k -> k.endsWith("HTTP 500"))) {
            System.out.println("FAILED: the server answered 500");
            System.exit(1);
        }
    }

    /** A JPEG whose frame header declares {@code width x height}. */
    static byte[] declaring(byte[] jpeg, int width, int height) {
        byte[] b = jpeg.clone();
        for (int i = 2; i + 9 < b.length; ) {
            int marker = b[i + 1] & 0xff;
            int size = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            if (marker >= 0xc0 && marker <= 0xc2) {
                b[i + 5] = (byte) (height >> 8);
                b[i + 6] = (byte) height;
                b[i + 7] = (byte) (width >> 8);
                b[i + 8] = (byte) width;
                return b;
            }
            i += 2 + size;
        }
        throw new IllegalArgumentException("no SOF marker");
    }

    /** A valid 8-bit gray PNG, written row by row: a dark left half, a bright right half, a little texture. */
    static byte[] bigPng(int width, int height) throws Exception {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(1), 1 << 16)) {
            byte[] row = new byte[width + 1];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    row[x + 1] = (byte) ((x < width / 2 ? 40 : 200) + ((x ^ y) & 3));
                }
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
