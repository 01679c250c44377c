package io.trainserve.service;

import io.trainserve.engine.NativeRuntime;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** REST service: upload datasets, train networks on the engine as scheduled jobs, serve the versioned models. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TrainserveApplication {
    public static void main(String[] args) {
        NativeRuntime.prepare(); // native settings before anything can load ND4J
        SpringApplication.run(TrainserveApplication.class, args);
    }
}
