package io.trainserve.service.prediction;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PredictController {
    private final Predictor predictor;

    PredictController(Predictor predictor) {
        this.predictor = predictor;
    }

    /** The latest version unless {@code ?version=N}. */
    @PostMapping("/models/{id}/predict")
    PredictResponse predict(@PathVariable String id, @RequestParam(required = false) Integer version, @RequestBody PredictRequest request) {
        return predictor.predict(id, version, request.instances());
    }
}
