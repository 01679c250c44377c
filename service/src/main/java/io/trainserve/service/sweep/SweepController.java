package io.trainserve.service.sweep;

import io.trainserve.service.security.Audit;
import io.trainserve.service.system.NotFoundException;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/sweeps")
class SweepController {
    private final SweepSubmitter submitter;
    private final SweepRepository sweeps;
    private final SweepViews views;
    private final SweepDriver driver;
    private final Audit audit;

    SweepController(SweepSubmitter submitter, SweepRepository sweeps, SweepViews views, SweepDriver driver, Audit audit) {
        this.submitter = submitter;
        this.sweeps = sweeps;
        this.views = views;
        this.driver = driver;
        this.audit = audit;
    }

    /** 202: the sweep is stored with its trials planned; its first trials are queued at once. */
    @PostMapping
    ResponseEntity<SweepView> submit(@RequestBody SweepRequest request) {
        Sweep sweep = submitter.submit(request);
        audit.record("sweep.submit", sweep.id() + " (model " + sweep.modelId() + ")");
        driver.step(sweep.id());
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(sweep.id()).toUri();
        return ResponseEntity.accepted().location(location).body(views.of(find(sweep.id())));
    }

    @GetMapping
    List<SweepView> list() {
        return sweeps.findAllByOrderByCreatedAtDesc().stream().map(views::of).toList();
    }

    @GetMapping("/{id}")
    SweepView get(@PathVariable String id) {
        return views.of(find(id));
    }

    /** 200 when no trial is still running; 202 while running trials stop (within about a second). */
    @PostMapping("/{id}/cancel")
    ResponseEntity<SweepView> cancel(@PathVariable String id) {
        submitter.cancel(id);
        audit.record("sweep.cancel", id);
        SweepView view = views.of(find(id));
        boolean stopping = view.trials().stream().anyMatch(t -> "RUNNING".equals(t.status()));
        return ResponseEntity.status(stopping ? HttpStatus.ACCEPTED : HttpStatus.OK).body(view);
    }

    private Sweep find(String id) {
        return sweeps.findById(id).orElseThrow(() -> new NotFoundException("sweep", id));
    }
}
