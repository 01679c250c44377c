# Build stage: the project's own wrapper and tests' settings; tests run in CI, not in the image build.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY engine/pom.xml engine/pom.xml
COPY service/pom.xml service/pom.xml
COPY src/test/pom.xml src/test/pom.xml
RUN ./mvnw -B -q dependency:go-offline -pl engine,service -am || true
COPY engine engine
COPY service service
COPY api-spec api-spec
RUN ./mvnw -B -q -DskipTests -pl service -am package && cp service/target/trainserve-service.jar /trainserve.jar

# Run stage: JRE only, non-root, data directory as a volume.
FROM eclipse-temurin:17-jre
RUN groupadd --system trainserve && useradd --system --gid trainserve --home-dir /home/trainserve --create-home trainserve \
    && mkdir -p /data /opt/trainserve/bin && chown trainserve:trainserve /data
COPY --from=build /trainserve.jar /opt/trainserve/trainserve.jar
COPY bin/trainserve /opt/trainserve/bin/trainserve
ENV TRAINSERVE_DATA_DIR=/data \
    TRAINSERVE_JAR=/opt/trainserve/trainserve.jar \
    TRAINSERVE_NATIVE_CACHE=/data/.javacpp-cache \
    JAVA_OPTS="-XX:MaxRAMPercentage=50"
USER trainserve
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /actuator/health/liveness HTTP/1.0\r\n\r\n" >&3 && grep -q UP <&3'
ENTRYPOINT ["/opt/trainserve/bin/trainserve"]
