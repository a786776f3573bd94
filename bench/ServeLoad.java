import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load on a running {@code pneumo serve}, loopback only: C clients each post one image (raw body) as fast as answers
 * come, for S seconds; prints requests/s, p50/p99 latency and the answers that were not 200. Run by
 * bench/serve-load.sh.
 *
 * <p>Usage: java bench/ServeLoad.java PORT IMAGE CLIENTS SECONDS [heatmap]
 */
public final class ServeLoad {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] image = Files.readAllBytes(Path.of(args[1]));
        int clients = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        boolean heatmap = args.length > 4 && args[4].equals("heatmap");
        if (clients < 1 || clients > 64 || seconds < 1 || seconds > 60) {
            throw new IllegalArgumentException("clients must be in [1, 64] and seconds in [1, 60]");
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/predictions" + (heatmap ? "?heatmap=true" : ""));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "image/jpeg")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        for (int i = 0; i < 10; i++) { // warm-up
            http.send(request, HttpResponse.BodyHandlers.discarding());
        }
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status == 200) {
                            latencies.add(System.nanoTime() - t0);
                        } else {
                            failures.computeIfAbsent("HTTP " + status, k -> new AtomicInteger()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        int errors = failures.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.printf(Locale.ROOT, "%2d clients%s: %6.1f ok/s  p50 %6.1f ms  p99 %6.1f ms  ok %5d  not ok %d %s%n",
                clients, heatmap ? " (heatmap)" : "", sorted.size() / elapsed, pct(sorted, 0.50), pct(sorted, 0.99),
                sorted.size(), errors, errors == 0 ? "" : new TreeMap<>(failures));
    }

    private static double pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
