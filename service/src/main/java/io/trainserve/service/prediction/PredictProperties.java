package io.trainserve.service.prediction;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param maxInstances instances one predict request may carry (more: 413) */
@ConfigurationProperties("trainserve.predict")
record PredictProperties(@DefaultValue("10000") int maxInstances) {
}
