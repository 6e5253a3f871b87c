import Foundation

/// A CI pipeline for the project's repository: on every change (pull or merge requests, and main)
/// `sluice validate`, `sluice test` and `sluice plan` (a policy review against the change's base, failing when a
/// change needs a second approval); on the main branch only, after those, each pipeline runs into the
/// environment it declares (else the default one) through the service (`SLUICE_SERVER`), as the CI principal,
/// whose token comes from the CI system's secret store — one job per environment, never two at once.
public struct CIExport: Sendable {
    public enum System: String, Sendable, CaseIterable { case github, gitlab }

    public let project: Project
    public let image: String

    public init(project: Project, image: String) {
        self.project = project
        self.image = image
    }

    /// Where the pipelines run on main: each into the environment it declares (`environment:`), else the
    /// project's default one; grouped by environment, in name order.
    var runs: [(environment: String, pipelines: [String])] {
        let grouped = Dictionary(grouping: project.pipelines.values) { $0.environment ?? project.defaultEnvironment }
        return grouped.keys.sorted().map { ($0, grouped[$0]!.map(\.name).sorted()) }
    }

    /// A job name for an environment: letters, digits and `-`.
    static func jobName(_ environment: String) -> String {
        "run-" + String(environment.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    var summary: String {
        runs.isEmpty
            ? "has no pipeline to run" : "runs main's pipelines into " + runs.map(\.environment).joined(separator: ", ")
    }

    public func render(_ system: System) -> String {
        system == .github ? github() : gitlab()
    }

    func github() -> String {
        let quoted = GrafanaDashboard.quoted
        var lines = [
            "# Written by sluice export ci --github for project \(project.name): checks every change (validate, test, plan against its base); \(summary), through SLUICE_SERVER.",
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
        ]
        for (environment, names) in runs {
            lines += [
                "  \(Self.jobName(environment)):",
                "    if: github.event_name == 'push' && github.ref == 'refs/heads/main'",
                "    needs: check",
                "    runs-on: ubuntu-latest",
                "    environment: \(quoted(environment))",
                "    concurrency: \(quoted("sluice-\(environment)"))",
                "    container:",
                "      image: \(quoted(image))",
                "    env:",
                "      SLUICE_SERVER: ${{ vars.SLUICE_SERVER }}",
                "      SLUICE_TOKEN: ${{ secrets.SLUICE_CI_TOKEN }}",
                "    steps:",
            ]
            for pipeline in names {
                lines += [
                    "      - name: \(quoted("run \(pipeline) into \(environment)"))",
                    "        run: sluice run \(pipeline) --env \(environment)",
                ]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func gitlab() -> String {
        let quoted = GrafanaDashboard.quoted
        var lines = [
            "# Written by sluice export ci --gitlab for project \(project.name): checks every change (validate, test, plan against its base); \(summary), through SLUICE_SERVER (a CI/CD variable, like SLUICE_CI_TOKEN).",
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
        ]
        for (environment, names) in runs {
            lines += [
                "\(Self.jobName(environment)):",
                "  stage: run",
                "  needs: [check]",
                "  rules:",
                "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
                "  environment:",
                "    name: \(quoted(environment))",
                "  resource_group: \(quoted("sluice-\(environment)"))",
                "  variables:",
                "    SLUICE_SERVER: $SLUICE_SERVER",
                "    SLUICE_TOKEN: $SLUICE_CI_TOKEN",
                "  script:",
            ]
            lines += names.map { "    - sluice run \($0) --env \(environment)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
