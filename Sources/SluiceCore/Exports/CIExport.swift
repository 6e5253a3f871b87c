import Foundation

/// A CI pipeline for the project's repository: on every change `sluice validate`, `sluice test` and
/// `sluice plan` (a policy review against the change's base, failing when a change needs a second approval);
/// on the main branch, after those, each pipeline runs into the protected environment through the service,
/// as the CI principal, whose token comes from the CI system's secret store.
public struct CIExport: Sendable {
    public enum System: String, Sendable, CaseIterable { case github, gitlab }

    public let project: Project
    public let image: String

    public init(project: Project, image: String) {
        self.project = project
        self.image = image
    }

    /// Where the pipelines run on main: the first protected environment, else the default one.
    var target: String {
        project.environments.first { $0.protected && $0.pattern.isConcrete }?.pattern.text ?? project.defaultEnvironment
    }

    var pipelines: [String] { project.pipelines.keys.sorted() }

    public func render(_ system: System) -> String {
        system == .github ? github() : gitlab()
    }

    func github() -> String {
        let quoted = GrafanaDashboard.quoted
        var lines = [
            "# Written by sluice export ci --github for project \(project.name): checks every change, runs main into \(target).",
            "name: sluice",
            "on:",
            "  pull_request:",
            "  push:",
            "    branches: [main]",
            "permissions:",
            "  contents: read",
            "jobs:",
            "  check:",
            "    runs-on: ubuntu-latest",
            "    container:",
            "      image: \(quoted(image))",
            "    steps:",
            "      - uses: actions/checkout@v4",
            "        with:",
            "          fetch-depth: 0",
            "      - name: validate",
            "        run: sluice validate",
            "      - name: test",
            "        run: sluice test",
            "      - name: policy review (exit 1 needs a second approval)",
            "        run: sluice plan --against \"$BASE\"",
            "        env:",
            "          BASE: ${{ github.event.pull_request.base.sha || github.event.before }}",
            "  run:",
            "    if: github.event_name == 'push' && github.ref == 'refs/heads/main'",
            "    needs: check",
            "    runs-on: ubuntu-latest",
            "    environment: \(quoted(target))",
            "    concurrency: sluice-\(target)",
            "    container:",
            "      image: \(quoted(image))",
            "    env:",
            "      SLUICE_SERVER: ${{ vars.SLUICE_SERVER }}",
            "      SLUICE_TOKEN: ${{ secrets.SLUICE_CI_TOKEN }}",
            "    steps:",
        ]
        if pipelines.isEmpty { lines.append("      - run: sluice status") }
        for pipeline in pipelines {
            lines += [
                "      - name: \(quoted("run \(pipeline) into \(target)"))",
                "        run: sluice run \(pipeline) --env \(target)",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func gitlab() -> String {
        let quoted = GrafanaDashboard.quoted
        var lines = [
            "# Written by sluice export ci --gitlab for project \(project.name): checks every change, runs main into \(target).",
            "stages: [check, run]",
            "default:",
            "  image: \(quoted(image))",
            "variables:",
            "  GIT_DEPTH: \"0\"",
            "check:",
            "  stage: check",
            "  rules:",
            "    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"",
            "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
            "  script:",
            "    - sluice validate",
            "    - sluice test",
            "    - sluice plan --against \"${CI_MERGE_REQUEST_DIFF_BASE_SHA:-$CI_COMMIT_BEFORE_SHA}\"",
            "run:",
            "  stage: run",
            "  needs: [check]",
            "  rules:",
            "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
            "  environment:",
            "    name: \(quoted(target))",
            "  resource_group: \(quoted("sluice-\(target)"))",
            "  variables:",
            "    SLUICE_TOKEN: $SLUICE_CI_TOKEN",
            "  script:",
        ]
        if pipelines.isEmpty { lines.append("    - sluice status") }
        lines += pipelines.map { "    - sluice run \($0) --env \(target)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
