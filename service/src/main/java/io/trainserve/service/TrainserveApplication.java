package io.trainserve.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** REST service: upload datasets, train networks on the engine as scheduled jobs, serve the versioned models. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TrainserveApplication {
    public static void main(String[] args) {
        SpringApplication.run(TrainserveApplication.class, args);
    }
}
