package io.trainserve.service.system;

import java.util.UUID;

/** Ids for unexpected errors: the client gets only the id, the log has it next to the details. */
public final class ErrorIds {
    private ErrorIds() {
    }

    public static String next() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
