package io.trainserve.engine;

/**
 * A zip of image folders that cannot be used: names the entry (or null for the archive as a whole),
 * what it holds and what is allowed. {@link #tooLarge()} marks a limit exceeded (entries, bytes, pixels).
 */
public class InvalidArchiveException extends RuntimeException {
    private final String entry;
    private final String given;
    private final String allowed;
    private final boolean tooLarge;

    public InvalidArchiveException(String entry, String given, String allowed, boolean tooLarge) {
        super((entry == null ? "" : "entry '" + entry + "': ") + given + "; allowed: " + allowed);
        this.entry = entry;
        this.given = given;
        this.allowed = allowed;
        this.tooLarge = tooLarge;
    }

    public String entry() { return entry; }

    /** What was found, naming the entry when there is one. */
    public String given() { return entry == null ? given : "entry '" + entry + "': " + given; }

    public String allowed() { return allowed; }

    public boolean tooLarge() { return tooLarge; }
}
