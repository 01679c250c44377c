package io.trainserve.service.security;

import io.trainserve.service.system.BadRequestException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** GET /audit (admin): the audit log, newest first. */
@RestController
class AuditController {
    static final int MAX_LIMIT = 1000;
    private final Audit audit;

    AuditController(Audit audit) {
        this.audit = audit;
    }

    @GetMapping("/audit")
    List<Audit.Event> list(@RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String action,
                           @RequestParam(required = false) String actor) {
        if (limit < 1 || limit > MAX_LIMIT) throw new BadRequestException("limit", String.valueOf(limit), "1.." + MAX_LIMIT);
        return audit.recent(limit, action, actor);
    }
}
