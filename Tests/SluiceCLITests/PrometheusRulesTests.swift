import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// Issue 14 item 3 (the rules part): `sluice export prometheus-rules` writes the project's `alerts:` as
/// Prometheus alerting rules that `promtool check rules` finds clean, and that fire, under `promtool test
/// rules`, when the service's own alerts would: a failed run, a stale dataset in a watched environment.
@Suite struct PrometheusRulesTests {
    static let alerts = """
        alerts:
          alertmanagers: ["http://127.0.0.1:9093"]
          rules:
            - { name: PipelineFailed, when: run_failed, pipelines: [daily], labels: { team: "data {{ $labels.pipeline }}" } }
            - { name: PipelineSlow, when: run_slow, over: 30m }
            - { name: GateFailed, when: gate_failed, datasets: [raw.orders] }
            - { name: GateWarned, when: gate_warned }
            - { name: TooMuchQuarantined, when: quarantine_share, over: 5% }
            - { name: RevenueStale, when: freshness, over: 2h, datasets: [curated.revenue_by_country] }
            - { name: GCFailed, when: gc_failed }
            - { name: SandboxExpiring, when: environment_expiring, within: 2d, environments: ["sandbox/*"] }
            - { name: ProdDenied, when: protected_denial, runbook: "https://wiki.example.com/{{ prod }}" }

        """

    /// promtool's unit tests of the exported rules: which alerts fire, when, with which labels and annotations.
    static let unitTests = """
        rule_files: [rules.yaml]
        evaluation_interval: 1m
        tests:
          - interval: 10m
            input_series:
              - series: 'sluice_pipeline_last_run_failed{pipeline="daily",environment="prod"}'
                values: '0 0 1 1 0'
              - series: 'sluice_pipeline_last_run_failed{pipeline="other",environment="prod"}'
                values: '1 1 1 1 1'
              - series: 'sluice_dataset_last_success_timestamp_seconds{dataset="curated.revenue_by_country",environment="prod"}'
                values: '0x20'
              - series: 'sluice_dataset_last_success_timestamp_seconds{dataset="curated.revenue_by_country",environment="dev"}'
                values: '0x20'
              - series: 'sluice_dataset_last_success_timestamp_seconds{dataset="raw.orders",environment="prod"}'
                values: '0x20'
            alert_rule_test:
              - { eval_time: 10m, alertname: PipelineFailed, exp_alerts: [] }
              - eval_time: 20m
                alertname: PipelineFailed
                exp_alerts:
                  - exp_labels:
                      severity: critical
                      project: demo
                      team: "data {{ $labels.pipeline }}"
                      pipeline: daily
                      environment: prod
                    exp_annotations:
                      summary: "pipeline daily failed in prod"
                      description: "the newest run of daily in prod failed"
              - { eval_time: 40m, alertname: PipelineFailed, exp_alerts: [] }
              - { eval_time: 1h, alertname: RevenueStale, exp_alerts: [] }
              - eval_time: 150m
                alertname: RevenueStale
                exp_alerts:
                  - exp_labels:
                      severity: warning
                      project: demo
                      dataset: curated.revenue_by_country
                      environment: prod
                    exp_annotations:
                      summary: "curated.revenue_by_country is stale in prod"
                      description: "its version was made 2h 30m 0s ago, over the limit of 2h"

        """

    static func project() throws -> CLIProject {
        let project = try CLIProject()
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(of: "project: \(project.folder.lastPathComponent)\n", with: "project: demo\n")
                .replacing(/\nproject: [a-z0-9_-]+\n/, with: "\nproject: demo\n") + alerts
        }
        return project
    }

    @Test("the exported rules are clean under promtool check rules and fire under promtool test rules")
    func rulesPassPromtool() throws {
        let project = try Self.project()
        let rulesFile = project.folder.appendingPathComponent("rules.yaml")
        let exported = try project.sluice.run(["export", "prometheus-rules", "--out", rulesFile.path])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr.contains("9 alerting rules"))
        let promtool = try #require(ExternalTool.promtool, "promtool is installed by the test command")
        let checked = try promtool.run(["check", "rules", rulesFile.path])
        #expect(checked.status == 0, "\(checked.output)")
        #expect(checked.output.contains("SUCCESS: 9 rules found"), "\(checked.output)")
        let tests = project.folder.appendingPathComponent("rules.test.yaml")
        try Data(Self.unitTests.utf8).write(to: tests)
        let tested = try promtool.run(["test", "rules", tests.path])
        let written = try String(contentsOf: rulesFile, encoding: .utf8)
        #expect(tested.status == 0, "promtool test rules:\n\(tested.output)\nrules:\n\(written)")
        // Written to standard output without --out, the same rules.
        let printed = try project.sluice.run(["export", "prometheus-rules"])
        #expect(printed.stdout == written)
    }

    @Test("every metric a rule reads is one the service reports, and Prometheus templates in text stay text")
    func rulesReadKnownMetricsOnly() throws {
        let project = try Self.project()
        let printed = try project.sluice.run(["export", "prometheus-rules"])
        let known = Set(MetricCatalogue.all.map(\.name))
        for line in printed.stdout.split(separator: "\n") where line.contains("expr:") {
            for match in line.matches(of: /sluice_[a-z_]+/) {
                #expect(known.contains(String(match.output)), "\(match.output) in \(line)")
            }
        }
        #expect(printed.stdout.contains(#""runbook_url": "https://wiki.example.com/{{ \"{{\" }} prod }}""#))
        #expect(printed.stdout.contains(#"dataset=~\"raw\\\\.orders\""#))
        #expect(printed.stdout.contains(#"environment=~\"sandbox/.*\""#))
    }

    @Test("a wrong alerts: section is refused with every mistake at its line")
    func invalidAlertsAreRefused() throws {
        let project = try CLIProject()
        try project.edit("sluice.yaml") {
            $0 + """
                alerts:
                  webhooks: ["http://user:secret@hooks.example.com/x", "ftp://hooks.example.com/"]
                  evaluate_every: 0s
                  rules:
                    - { name: Failed, when: run_faild }
                    - { name: Slow, when: run_slow }
                    - { name: Dup, when: gc_failed }
                    - { name: Dup, when: gc_failed }
                    - { name: "bad name", when: run_failed }
                    - { name: Share, when: quarantine_share, over: 150% }
                    - { name: Who, when: run_failed, pipelines: [nightly], labels: { alertname: x, "bad-key": y } }
                    - { name: Mixed, when: freshness, over: 1d, pipelines: [daily] }

                """
        }
        let result = try project.sluice.run(["validate"])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        let output = result.stdout + result.stderr
        for expected in [
            "holds credentials; keep them out of the project", "must be an http or https URL",
            "evaluate_every must be between 1s and 1h", "unknown when \"run_faild\"; did you mean run_failed?",
            "(when: run_slow) needs over", "alert rule Dup is declared twice",
            "alert rule name \"bad name\" must be letters", "over must be a share of rows",
            "names the unknown pipeline \"nightly\"", "alert label \"alertname\"", "alert label \"bad-key\"",
            "(when: freshness) can only be narrowed by datasets and environments",
        ] {
            #expect(output.contains(expected), "missing: \(expected)\n\(output)")
        }
        #expect(!output.contains("secret"), "a credential is never repeated back")
    }
}
