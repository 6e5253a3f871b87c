import Foundation
import SluiceTestSupport
import Testing

/// Issue 22: four weeks of simulated use of one project, on the command line and through the service —
/// deliveries by hand and by the trigger (bad rows, reordered columns, a refused batch, CRLF), commits that
/// change a step and a contract, runs in dev and prod, promotions both ways and through a sandbox, the customer
/// list shrinking under orders that reference it, graceful and killed restarts of the service — with every
/// dataset of every environment compared, along the way, with `reference.py` computed from the delivered files.
@Suite struct FourWeeksTests {
    @Test func aMonthOfUseStaysRight() async throws {
        let month = try MonthOfUse()
        defer { try? month.stopService() }
        try weekOne(month)
        try await weekTwo(month)
        try await weekThree(month)
        try await weekFour(month)
        // Each bad row was quarantined once, in the environment it was delivered to; the day-10 batch whole.
        #expect(try month.quarantinedRows(in: "dev") == [1, 1, 1, 1, 1, 4])
        #expect(try month.rejected() == 1)
        #expect(try month.project.run(as: "ops", ["audit", "verify"]).status == 0)
        #expect(try month.project.run(as: "ops", ["verify"]).status == 0)
    }

    /// By hand: a week of deliveries into dev, each run; then prod takes dev, and prod's own run changes nothing.
    func weekOne(_ month: MonthOfUse) throws {
        try month.customersByHand(Array(1...40))
        for day in 1...7 {
            try month.deliverByHand(day)
            try month.run("dev")
        }
        try month.reference.check(month.project, ["dev"])
        let before = try month.project.versions(in: "dev")
        try month.promote("dev", to: "prod")
        try month.run("prod")
        #expect(try month.project.versions(in: "prod") == before)
        try month.reference.check(month.project, ["dev", "prod"])
    }

    /// The service: deliveries start the pipeline; a refused batch; a step changed by a commit under the running
    /// service; a restart with a delivery made meanwhile; an upload; a promotion and a run through the API.
    func weekTwo(_ month: MonthOfUse) async throws {
        try month.project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "    schedule: \"0 6 * * *\"\n", with: "    schedule: \"0 6 * * *\"\n    on: [orders_drop]\n")
        }
        try await month.commit("deliveries start the daily pipeline")
        try month.startService()
        for day in 8...10 { try await month.deliverToTheTrigger(day, lands: day != 10) }
        try month.project.edit("models/clean_orders.sql") {
            $0.replacingOccurrences(of: "WHERE status <> 'cancelled'", with: "WHERE status IN ('paid', 'shipped')")
        }
        month.sql = "v2"
        try await month.commit("only paid and shipped orders count")
        try await month.deliverToTheTrigger(11)
        try month.stopService()
        try await month.deliverToTheTrigger(12) { try month.startService() }
        try await uploadAndRun(month, day: 13)
        try await month.deliverToTheTrigger(14)
        let served = try #require(month.served)
        let promoted = try await served.post("/api/v1/promote", #"{"from":"dev","to":"prod"}"#, as: "ci")
        #expect(promoted.status == 200, "\(promoted.object)")
        month.reference.environments["prod"] = month.reference.environments["dev"]
        try month.run("prod", server: month.server)
        try month.reference.check(month.project, ["dev", "prod"], server: month.server)
        try month.stopService()
    }

    /// Day `day`'s orders uploaded to the API by alice, then a run requested from the API by ci.
    func uploadAndRun(_ month: MonthOfUse, day: Int) async throws {
        let served = try #require(month.served)
        let copy = month.reference.folder.appendingPathComponent(MonthOfDeliveries.name(day))
        try Data(MonthOfDeliveries.orders(day: day).utf8).write(to: copy)
        month.reference.delivered(copy.path, to: "dev")
        let uploaded = try await served.upload(
            "/api/v1/sources/orders_drop/ingest?environment=dev&filename=\(MonthOfDeliveries.name(day))",
            MonthOfDeliveries.orders(day: day), as: "alice")
        #expect(uploaded.status == 201, "\(uploaded.object)")
        let run = try await GitFollowingTests.run(served)
        #expect(run["status"] as? String == "succeeded", "\(run)")
        month.reference.environments["dev"]?.sql = month.sql
        try month.reference.check(month.project, ["dev"], server: month.server)
    }

    /// By hand again: the customer list shrinks under orders that name a customer (dev warns, prod refuses the
    /// pair) and grows back; a sandbox lands a delivery that dev takes by promotion; promotions both ways.
    func weekThree(_ month: MonthOfUse) async throws {
        let shrunk = try month.customersByHand(Array(1...40).filter { $0 != 7 })
        #expect(shrunk.stderr.contains("raw.orders"), "the ingest warns about what references it: \(shrunk.stderr)")
        try month.deliverByHand(15)
        try month.run("dev")
        try month.reference.check(month.project, ["dev"])
        let prodBefore = try month.project.versions(in: "prod")
        let refused = try month.promote("dev", to: "prod", expect: 1)
        #expect(refused.stderr.contains("references") && refused.stderr.contains("raw.customers"), "\(refused.stderr)")
        #expect(try month.project.versions(in: "prod") == prodBefore, "nothing moved")
        try month.customersByHand(Array(1...45))
        try month.deliverByHand(16)
        try month.run("dev")
        try month.promote("dev", to: "prod")
        try month.reference.check(month.project, ["dev", "prod"])
        try month.deliverByHand(17)
        try month.run("dev")
        try await sandboxDay(month, day: 18)
        for day in 19...20 {
            try month.deliverByHand(day)
            try month.run("dev")
        }
        try month.promote("dev", to: "prod")
        try month.run("prod")
        try month.run("dev")
        try month.promote("prod", to: "dev")
        try month.promote("dev", to: "prod")
        #expect(try month.project.versions(in: "prod") == month.project.versions(in: "dev"))
        try month.reference.check(month.project, ["dev", "prod"])
    }

    /// Alice works in a sandbox made from dev: day `day` lands there, then dev takes it by promotion, and an
    /// ingest into dev afterwards lands nothing again.
    func sandboxDay(_ month: MonthOfUse, day: Int) async throws {
        try month.project.edit("sluice.yaml") {
            $0.replacingOccurrences(of: #""delete:*"] }"#, with: #""delete:*", "promote:dev"] }"#)
                .replacingOccurrences(of: #""write:sandbox/*"] }"#, with: #""write:sandbox/*", "promote:dev"] }"#)
        }
        try await month.commit("engineers and the pipeline promote into dev")
        #expect(try month.project.run(as: "ops", ["apply"]).status == 0)
        let created = try month.project.run(as: "alice", ["env", "create", "sandbox/alice", "--from", "dev"])
        #expect(created.status == 0, "\(created.stderr)")
        month.reference.environments["sandbox/alice"] = month.reference.environments["dev"]
        try month.deliverByHand(day, into: "sandbox/alice")
        try month.run("sandbox/alice")
        try month.promote("sandbox/alice", to: "dev", as: "alice")
        let again = try month.ingest("orders_drop")
        #expect(again.stdout.contains("unchanged") || again.stdout.contains("nothing"), "\(again.stdout)")
        try month.reference.check(month.project, ["dev", "sandbox/alice"])
    }

    /// The service again: a CRLF delivery, a contract commit that accepts a higher ratio of bad rows, a killed
    /// service restarted with a delivery made meanwhile, and a last day through the command line's `--server`.
    func weekFour(_ month: MonthOfUse) async throws {
        try month.startService()
        for day in 22...25 { try await month.deliverToTheTrigger(day) }
        try month.project.edit("sluice.yaml") {
            $0.replacingOccurrences(of: "max_invalid_ratio: 0.01", with: "max_invalid_ratio: 0.05")
        }
        month.reference.ratio = 0.05
        try await month.commit("up to 5% of a delivery may be bad")
        try await month.deliverToTheTrigger(26)
        try month.stopService(killed: true)
        try await month.deliverToTheTrigger(27) { try month.startService() }
        let server = try #require(month.server)
        month.reference.delivered(try month.deliver(28, settled: false), to: "dev")
        let landed = try month.project.run(
            as: "alice", ["ingest", "orders_drop"], environment: ["SLUICE_SERVER": server])
        #expect(landed.status == 0, "\(landed.stderr)")
        try month.run("dev", server: server)
        try month.promote("dev", to: "prod", server: server)
        try month.run("prod", server: server)
        try month.reference.check(month.project, ["dev", "prod", "sandbox/alice"], server: server)
        try month.stopService()
    }
}
