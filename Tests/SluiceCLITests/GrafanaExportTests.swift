import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// Issue 14 item 3 (the Grafana part): `sluice export grafana` writes a provisionable dashboard over the
/// service's metrics. No Grafana runs here: the JSON's structure is checked, and every panel's PromQL is
/// checked by promtool as a recording rule.
@Suite struct GrafanaExportTests {
    @Test func theDashboardIsProvisionableAndEveryPanelsQueryParses() throws {
        let project = try CLIProject()
        let out = project.folder.appendingPathComponent("exported")
        let exported = try project.sluice.run(
            ["export", "grafana", "--out", out.path, "--prometheus-url", "http://prometheus.internal:9090"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let data = try Data(contentsOf: out.appendingPathComponent("dashboards/sluice.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(dashboard["id"] == nil, "a provisioned dashboard has no numeric id")
        let uid = try #require(dashboard["uid"] as? String)
        #expect(uid.hasPrefix("sluice-") && uid.count <= 40)
        // The same project gives the same uid (a re-export replaces the dashboard, it does not add one).
        let again = try project.sluice.run(
            ["export", "grafana", "--out", out.path, "--prometheus-url", "http://prometheus.internal:9090"])
        #expect(again.status == 0)
        let second =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("dashboards/sluice.json"))) as? [String: Any]
        #expect(second?["uid"] as? String == uid)
        let variables = ((dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []).compactMap {
            $0["name"] as? String
        }
        #expect(Set(variables) == ["pipeline", "environment", "dataset"])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        #expect(panels.count >= 10)
        var expressions: [String] = []
        for panel in panels {
            let targets = try #require(panel["targets"] as? [[String: Any]], "\(panel["title"] ?? "")")
            #expect(!targets.isEmpty)
            #expect((panel["datasource"] as? [String: Any])?["uid"] as? String == GrafanaDashboard.datasourceUID)
            expressions += targets.compactMap { $0["expr"] as? String }
        }
        // Every metric a panel reads is one Sluice reports.
        let known = Set(MetricCatalogue.all.map(\.name))
        for expression in expressions {
            for match in expression.matches(of: /sluice_[a-z_]+/) {
                let name = String(match.output).replacing(/_(bucket|sum|count)$/, with: "")
                #expect(known.contains(name), "\(name) in \(expression) is not a Sluice metric")
            }
        }
        let datasource = try String(
            contentsOf: out.appendingPathComponent("provisioning/datasources/sluice.yaml"), encoding: .utf8)
        #expect(datasource.contains("uid: \(GrafanaDashboard.datasourceUID)"))
        #expect(datasource.contains(#"url: "http://prometheus.internal:9090""#))
        let provider = try String(
            contentsOf: out.appendingPathComponent("provisioning/dashboards/sluice.yaml"), encoding: .utf8)
        #expect(provider.contains(#"path: "/var/lib/grafana/dashboards/sluice""#))

        // Each query as a recording rule, Grafana's variables given values: promtool parses them all.
        let promtool = try #require(ExternalTool.promtool, "promtool is installed by the test command")
        var rules = "groups:\n  - name: sluice-dashboard\n    rules:\n"
        for (index, expression) in expressions.enumerated() {
            let concrete =
                expression
                .replacingOccurrences(of: "$__rate_interval", with: "5m").replacingOccurrences(
                    of: "$__range", with: "1h"
                )
                .replacingOccurrences(of: "$pipeline", with: ".*").replacingOccurrences(of: "$environment", with: ".*")
                .replacingOccurrences(of: "$dataset", with: ".*")
            let quoted = String(
                decoding: try JSONSerialization.data(withJSONObject: [concrete], options: .withoutEscapingSlashes),
                as: UTF8.self)
            rules += "      - record: sluice:dashboard_panel_\(index)\n        expr: \(quoted.dropFirst().dropLast())\n"
        }
        let file = out.appendingPathComponent("panels.rules.yml")
        try Data(rules.utf8).write(to: file)
        let checked = try promtool.run(["check", "rules", file.path])
        #expect(checked.status == 0, "\(checked.output)")
        #expect(checked.output.contains("SUCCESS: \(expressions.count) rules found"), "\(checked.output)")
    }

    @Test func aHostileURLOrPathIsRefused() throws {
        let project = try CLIProject()
        for arguments in [
            ["--prometheus-url", "http://x\nurl: http://evil"], ["--prometheus-url", "file:///etc/passwd"],
            ["--dashboards-path", "relative/path"],
        ] {
            let result = try project.sluice.run(["export", "grafana", "--out", "g"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
        }
    }
}
