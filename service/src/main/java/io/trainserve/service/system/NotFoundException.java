package io.trainserve.service.system;

/** An id that names nothing: 404, naming the field that carried it when it came in a request body. */
public class NotFoundException extends RuntimeException {
    private final String resource;
    private final String id;
    private final String field;

    public NotFoundException(String resource, String id) {
        this(resource, id, null);
    }

    public NotFoundException(String resource, String id, String field) {
        super(resource + " '" + id + "' does not exist");
        this.resource = resource;
        this.id = id;
        this.field = field;
    }

    public String resource() { return resource; }

    public String id() { return id; }

    /** JSON field of the request that named the missing thing, or null for a path id. */
    public String field() { return field; }
}
