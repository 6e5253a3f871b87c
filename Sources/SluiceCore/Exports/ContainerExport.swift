import Foundation

/// A Dockerfile that builds the one `sluice` binary from its sources with the Swift toolchain image
/// (`scripts/build-release.sh`: the Swift runtime and SQLite linked in) and runs it on a slim Debian base as a non-root user, with a health check on `/healthz`: the image the
/// Kubernetes export runs (`sluice serve`; any other command, such as `sluice run`, as its arguments).
public struct ContainerExport: Sendable {
    public let swiftImage: String
    public let baseImage: String

    public init(swiftImage: String = "swift:6.2-bookworm", baseImage: String = "debian:bookworm-slim") {
        self.swiftImage = swiftImage
        self.baseImage = baseImage
    }

    public func dockerfile() -> String {
        """
        # syntax=docker/dockerfile:1
        # Written by sluice export container. Build it in a checkout of Sluice's sources (scripts/prove-static.sh
        # carries it out the same way without a Docker engine, and runs the image's command):
        #   docker build -t sluice:\(EngineVersion.current) .
        # It runs `sluice serve` on port 8080 for the project in /project (mount it, or see sluice export kubernetes);
        # `docker run IMAGE worker --project /project` runs a worker instead.

        FROM \(swiftImage) AS build
        # hadolint ignore=DL3008
        RUN apt-get update \\
            && apt-get install -y --no-install-recommends libsqlite3-dev \\
            && rm -rf /var/lib/apt/lists/*
        WORKDIR /src
        # The manifest names every target, the test targets too: SwiftPM wants each one's folder.
        COPY Package.swift ./
        COPY Sources ./Sources
        COPY Tests ./Tests
        COPY scripts/build-release.sh ./scripts/
        # The one binary in dist/: the Swift runtime, Foundation and SQLite linked in, debug information apart.
        RUN scripts/build-release.sh dist

        FROM \(baseImage)
        # The binary needs no Swift and no SQLite here. git: the project is a git tree (Sluice records the commit of
        # the policy in force); curl: the health check; tini: signals reach sluice, zombies are reaped.
        # hadolint ignore=DL3008
        RUN apt-get update \\
            && apt-get install -y --no-install-recommends ca-certificates curl git tini \\
            && rm -rf /var/lib/apt/lists/* \\
            && groupadd --gid 10001 sluice \\
            && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /project --shell /usr/sbin/nologin sluice \\
            && mkdir -p /project && chown sluice:sluice /project
        COPY --from=build /src/dist/sluice /usr/local/bin/sluice
        USER 10001:10001
        WORKDIR /project
        EXPOSE 8080
        HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\
            CMD ["curl", "-fsS", "http://127.0.0.1:8080/healthz"]
        ENTRYPOINT ["tini", "--", "sluice"]
        CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--project", "/project"]

        """
    }

    /// What the build does not need to see.
    public func dockerignore() -> String {
        ".build\n.git\n*.sqlite\n.sluice\nBenchmarks\ndocs\n"
    }
}
