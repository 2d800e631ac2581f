# The arenaflow image, from the artifacts of `mvn -B -DskipTests package`.
# Settings come from ARENAFLOW_* environment variables (see README.md) or a mounted file:
#   docker run -v $PWD/app.properties:/etc/arenaflow.properties arenaflow run --config /etc/arenaflow.properties
FROM eclipse-temurin:17-jre
RUN useradd --system --home /opt/arenaflow arenaflow && mkdir -p /var/lib/arenaflow && chown arenaflow /var/lib/arenaflow
# lib/ only: cli/target/demo-lib (the demo's local broker, registry and lookup service) stays out,
# and `demo` in the image says it needs a source checkout and exits with status 4.
COPY cli/target/lib/ /opt/arenaflow/lib/
COPY cli/target/arenaflow-cli.jar /opt/arenaflow/arenaflow-cli.jar
USER arenaflow
# The gRPC API layer (arenaflow.grpc.port).
EXPOSE 9090
# The operations endpoint (arenaflow.http.port): /metrics, /health/live, /health/ready, /api/status, /
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/arenaflow/arenaflow-cli.jar:/opt/arenaflow/lib/*", "dev.arenaflow.cli.ArenaflowCommand"]
CMD ["run"]
