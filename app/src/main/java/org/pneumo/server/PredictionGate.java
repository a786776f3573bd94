package org.pneumo.server;

import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;

/**
 * Bounds the work the server accepts: at most {@code workers} predictions run at once and at most {@code queue} more
 * wait for a turn; anything beyond is refused at once (HTTP 503) instead of piling up memory and latency.
 */
public final class PredictionGate {
    private final Semaphore admitted;
    private final Semaphore running;
    private final int workers;
    private final int queue;

    public PredictionGate(int workers, int queue) {
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("workers " + workers + " is outside [1, 256]");
        }
        if (queue < 0 || queue > 10_000) {
            throw new IllegalArgumentException("queue " + queue + " is outside [0, 10000]");
        }
        this.workers = workers;
        this.queue = queue;
        this.admitted = new Semaphore(workers + queue);
        this.running = new Semaphore(workers, true);
    }

    public int workers() {
        return workers;
    }

    public int queue() {
        return queue;
    }

    /** Requests admitted now (running or waiting). */
    public int inFlight() {
        return workers + queue - admitted.availablePermits();
    }

    /**
     * Takes a place in the queue, once the upload has been read (so slow uploads hold no place).
     *
     * @throws Problem 503 when the queue is full
     */
    public Admission admit() {
        if (!admitted.tryAcquire()) {
            throw Problem.busy();
        }
        return new Admission();
    }

    /** A place in the queue; close it when the request is done. */
    public final class Admission implements AutoCloseable {
        private boolean closed;

        private Admission() {}

        /** Runs {@code work} when a worker is free. */
        public <T> T run(Callable<T> work) throws Exception {
            running.acquire();
            try {
                return work.call();
            } finally {
                running.release();
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                admitted.release();
            }
        }
    }
}
