package org.pneumo.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes images on a few threads and hands them on in input order, in chunks, never more than a fixed window ahead
 * of the consumer: at any time at most {@code window} inputs are being decoded, waiting decoded, or in the hands of
 * the chunk consumer. A folder of any size is therefore decoded in constant memory, as long as the consumer drops
 * what it was given. A file that cannot be decoded becomes an entry with its error, never a failure of the run.
 */
public final class ParallelDecoder {
    /** How one input is decoded. */
    @FunctionalInterface
    public interface Decoding<T> {
        byte[] decode(T input) throws IOException;
    }

    /** Receives the decoded inputs, a chunk at a time, in input order. */
    @FunctionalInterface
    public interface ChunkConsumer<T> {
        void accept(List<Decoded<T>> chunk) throws IOException;
    }

    /** One input and its pixels, or the reason it could not be decoded (exactly one is set). */
    public record Decoded<T>(T input, byte[] pixels, String error) {
        public Decoded {
            if ((pixels == null) == (error == null)) {
                throw new IllegalArgumentException("exactly one of pixels and error must be set");
            }
        }

        public boolean failed() {
            return error != null;
        }
    }

    private final int threads;
    private final int window;

    /**
     * @param threads decoding threads, at least 1
     * @param window most inputs decoding, decoded or held by the consumer at once; at least 1
     */
    public ParallelDecoder(int threads, int window) {
        if (threads < 1) {
            throw new IllegalArgumentException("decode threads " + threads + " must be at least 1");
        }
        if (window < 1) {
            throw new IllegalArgumentException("decode window " + window + " must be at least 1");
        }
        this.threads = threads;
        this.window = window;
    }

    /** One decoding thread per processor. */
    public static int defaultThreads() {
        int n = Integer.getInteger("pneumo.decodeThreads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        if (n < 1) {
            throw new IllegalArgumentException("pneumo.decodeThreads " + n + " must be at least 1");
        }
        return n;
    }

    public int window() {
        return window;
    }

    /**
     * Decodes every input and gives them to {@code consumer} in input order, in chunks of {@code chunk} (the last may
     * be shorter). While the consumer works on one chunk, the next inputs are decoded, up to the window.
     *
     * @param chunk inputs per chunk, between 1 and the window
     */
    public <T> void decode(Iterator<? extends T> inputs, Decoding<? super T> decoding, int chunk,
            ChunkConsumer<T> consumer) throws IOException {
        if (chunk < 1 || chunk > window) {
            throw new IllegalArgumentException("chunk of " + chunk + " must be between 1 and the window of " + window);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pneumo-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<Future<Decoded<T>>> pending = new ArrayDeque<>();
            submit(pool, pending, inputs, decoding, window);
            while (!pending.isEmpty()) {
                List<Decoded<T>> current = new ArrayList<>(chunk);
                while (current.size() < chunk && !pending.isEmpty()) {
                    current.add(take(pending.removeFirst()));
                }
                // Decode ahead while the consumer works, counting what it holds against the window.
                submit(pool, pending, inputs, decoding, window - current.size());
                consumer.accept(current);
                submit(pool, pending, inputs, decoding, window);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> void submit(ExecutorService pool, Deque<Future<Decoded<T>>> pending,
            Iterator<? extends T> inputs, Decoding<? super T> decoding, int limit) {
        while (pending.size() < limit && inputs.hasNext()) {
            T input = inputs.next();
            pending.addLast(pool.submit(() -> {
                try {
                    return new Decoded<>(input, decoding.decode(input), null);
                } catch (IOException | RuntimeException e) {
                    return new Decoded<T>(input, null, message(e));
                }
            }));
        }
    }

    private static <T> Decoded<T> take(Future<Decoded<T>> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while decoding images");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IOException("decoding failed: " + message(e.getCause()), e.getCause());
        }
    }

    /** A failure as one line: its message, or its type when it has none. */
    public static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
