package io.trainserve.e2e;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of the compose stack and the image without a Docker engine (none runs on
 * these machines): mounted files exist, names and ports agree across compose, Prometheus and
 * Grafana, and the image starts the packaged jar through the launcher.
 */
class DeploymentFilesTest {
    static final Path ROOT = Path.of(System.getProperty("trainserve.root", "."));

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String file) throws Exception {
        return new Yaml().load(Files.readString(ROOT.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(Map<String, Object> compose, String name) {
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFileMountedByComposeExists() throws Exception {
        Map<String, Object> compose = yaml("docker-compose.yml");
        assertThat(((Map<String, Object>) compose.get("services")).keySet()).contains("trainserve-a", "trainserve-b", "postgres", "prometheus", "grafana");
        int mounts = 0;
        for (Object s : ((Map<String, Object>) compose.get("services")).values()) {
            for (Object v : (List<Object>) ((Map<String, Object>) s).getOrDefault("volumes", List.of())) {
                String source = v.toString().split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(ROOT.resolve(source)).as("mounted %s", source).exists();
                    mounts++;
                }
            }
        }
        assertThat(mounts).isGreaterThanOrEqualTo(3);
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheServiceWhereComposeRunsIt() throws Exception {
        Map<String, Object> prometheus = yaml("deploy/prometheus.yml");
        Map<String, Object> job = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).get(0);
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        List<String> targets = (List<String>) ((List<Map<String, Object>>) job.get("static_configs")).get(0).get("targets");
        assertThat(targets).as("every replica is scraped").hasSize(2);
        for (String target : targets) {
            String host = target.split(":")[0], port = target.split(":")[1];
            Map<String, Object> trainserve = service(yaml("docker-compose.yml"), host);
            assertThat(trainserve).as("compose service named like the scrape target %s", host).isNotNull();
            assertThat((List<String>) trainserve.get("ports")).anyMatch(p -> p.endsWith(":" + port));
            assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("EXPOSE " + port);
        }
        assertThat((List<String>) service(yaml("docker-compose.yml"), "prometheus").get("volumes"))
                .contains("./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesWithTheMetricsKeyComposeGivesBothSides() throws Exception {
        Map<String, Object> job = ((List<Map<String, Object>>) yaml("deploy/prometheus.yml").get("scrape_configs")).get(0);
        Map<String, Object> authorization = (Map<String, Object>) job.get("authorization");
        assertThat(authorization.get("type")).isEqualTo("Bearer");
        String tokenFile = (String) authorization.get("credentials_file");
        Map<String, Object> compose = yaml("docker-compose.yml");
        Map<String, Object> prometheusSecret = ((List<Map<String, Object>>) service(compose, "prometheus").get("secrets")).get(0);
        assertThat("/run/secrets/" + prometheusSecret.get("target")).as("Prometheus reads the token where compose mounts it").isEqualTo(tokenFile);
        for (String replica : List.of("trainserve-a", "trainserve-b")) {
            Map<String, Object> trainserve = service(compose, replica);
            Map<String, Object> serviceSecret = ((List<Map<String, Object>>) trainserve.get("secrets")).get(0);
            assertThat(serviceSecret.get("source")).as(replica).isEqualTo(prometheusSecret.get("source"));
            // the file under /run/secrets becomes the property of the same name through Spring Boot's config tree import
            assertThat(serviceSecret.get("target")).as(replica).isEqualTo("trainserve.security.metrics-key");
            assertThat(((Map<String, Object>) trainserve.get("environment")).get("SPRING_CONFIG_IMPORT")).as(replica)
                    .isEqualTo("optional:configtree:/run/secrets/");
        }
        Map<String, Object> secret = (Map<String, Object>) ((Map<String, Object>) compose.get("secrets")).get(prometheusSecret.get("source"));
        assertThat(secret.get("file")).isEqualTo("./deploy/metrics.key");
        assertThat(Files.readString(ROOT.resolve(".gitignore"))).contains("deploy/metrics.key");
        assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("GET /actuator/health/liveness");
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaReadsPrometheusAndTheProvisionedDashboard() throws Exception {
        Map<String, Object> ds = ((List<Map<String, Object>>) yaml("deploy/grafana/provisioning/datasources/prometheus.yml").get("datasources")).get(0);
        Map<String, Object> compose = yaml("docker-compose.yml");
        String url = ds.get("url").toString();
        String promPort = ((List<String>) service(compose, "prometheus").get("ports")).get(0).split(":")[1];
        assertThat(url).isEqualTo("http://prometheus:" + promPort);

        String dashboard = Files.readString(ROOT.resolve("deploy/grafana/dashboards/trainserve.json"));
        assertThat(dashboard).contains("\"uid\": \"" + ds.get("uid") + "\"");
        Map<String, Object> provider = ((List<Map<String, Object>>) yaml("deploy/grafana/provisioning/dashboards/trainserve.yml").get("providers")).get(0);
        String path = ((Map<String, Object>) provider.get("options")).get("path").toString();
        assertThat((List<String>) service(compose, "grafana").get("volumes")).contains("./deploy/grafana/dashboards:" + path + ":ro");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theImageRunsThePackagedJarThroughTheLauncherAsANonRootUser() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM eclipse-temurin:17-jdk AS build", "./mvnw", "FROM eclipse-temurin:17-jre", "USER trainserve",
                "VOLUME [\"/data\"]", "HEALTHCHECK", "ENTRYPOINT [\"/opt/trainserve/bin/trainserve\"]");
        assertThat(dockerfile).contains("COPY --from=build /trainserve.jar /opt/trainserve/trainserve.jar", "TRAINSERVE_JAR=/opt/trainserve/trainserve.jar");
        assertThat(dockerfile).contains("service/target/trainserve-service.jar");
        String launcher = Files.readString(ROOT.resolve("bin/trainserve"));
        assertThat(launcher).contains("-jar \"$jar\"", "TRAINSERVE_JAR", "OMP_WAIT_POLICY", "avx512f");
        // the service's own build produces the jar the image copies
        assertThat(Files.readString(ROOT.resolve("service/pom.xml"))).contains("<finalName>trainserve-service</finalName>");
        for (String replica : List.of("trainserve-a", "trainserve-b")) {
            Map<String, Object> trainserve = service(yaml("docker-compose.yml"), replica);
            assertThat(((Map<String, Object>) trainserve.get("environment")).get("SPRING_PROFILES_ACTIVE")).isEqualTo("postgres");
            assertThat(((Map<String, Object>) trainserve.get("environment")).get("TRAINSERVE_DB_URL").toString()).contains("//postgres:5432/");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReplicasShareNothingButTheDatabase() throws Exception {
        Map<String, Object> compose = yaml("docker-compose.yml");
        Map<String, Object> a = service(compose, "trainserve-a"), b = service(compose, "trainserve-b");
        assertThat((List<String>) a.get("volumes")).doesNotContainAnyElementsOf((List<String>) b.get("volumes"));
        assertThat(((Map<String, Object>) a.get("environment")).get("TRAINSERVE_INSTANCE_ID"))
                .isNotEqualTo(((Map<String, Object>) b.get("environment")).get("TRAINSERVE_INSTANCE_ID"));
        assertThat((List<String>) a.get("ports")).doesNotContainAnyElementsOf((List<String>) b.get("ports"));
        String dashboard = Files.readString(ROOT.resolve("deploy/grafana/dashboards/trainserve.json"));
        assertThat(dashboard).contains("\"name\": \"instance\"", "instance=~\\\"$instance\\\"", "by instance");
    }
}
