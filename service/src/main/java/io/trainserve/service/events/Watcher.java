package io.trainserve.service.events;

import java.io.IOException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's open stream. Only the poller thread sends on it; a failed send (the client went
 * away) closes it and the poller drops it.
 */
class Watcher {
    final SseEmitter emitter;
    private volatile boolean closed;
    private long lastSentNanos = System.nanoTime();

    Watcher(SseEmitter emitter) {
        this.emitter = emitter;
        emitter.onCompletion(this::markClosed);
        emitter.onTimeout(this::markClosed);
        emitter.onError(e -> markClosed());
    }

    boolean closed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    /** Sends one event; false (and closed) when the client is gone. */
    boolean send(SseEmitter.SseEventBuilder event) {
        if (closed) return false;
        try {
            emitter.send(event);
            lastSentNanos = System.nanoTime();
            return true;
        } catch (IOException | IllegalStateException e) {
            closed = true;
            return false;
        }
    }

    /** A comment line when nothing was sent for {@code intervalNanos}, so a vanished client is noticed. */
    void heartbeat(long intervalNanos) {
        if (System.nanoTime() - lastSentNanos >= intervalNanos) send(SseEmitter.event().comment("keep-alive"));
    }

    void complete() {
        if (closed) return;
        closed = true;
        try {
            emitter.complete();
        } catch (IllegalStateException e) {
            // already completed by the container
        }
    }
}
