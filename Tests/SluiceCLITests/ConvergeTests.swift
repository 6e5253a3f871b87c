import Foundation
import SluiceTestSupport
import Testing

/// Issue 22 item 8: environments converge. Promotion merges at dataset granularity against the common
/// ancestor: the README's tour (promote, run in dev, run in prod) promotes again; a change on one side
/// merges; a dataset changed differently on both sides is a conflict naming it, and `env reset` puts a
/// working environment back on another's head.
@Suite struct ConvergeTests {
    @Test func runsOnBothSidesThenADeliveryPromoteAgain() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"]).status == 0)
        #expect(try project.run(as: "ci", ["run", "daily", "--env", "dev"]).status == 0)
        #expect(try project.run(as: "ci", ["run", "daily", "--env", "prod"]).status == 0)
        // Identical versions on both sides: a merge commit that changes no dataset records the convergence.
        let same = try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(try project.versions(in: "prod") == project.versions(in: "dev"))
        // A new delivery and a run in dev: prod (which moved on by its own run) takes dev's changes by a merge.
        try project.write(
            "landing/orders/2026-11-25.csv",
            "order_id,customer_id,amount,status,ordered_at\n2,1,4.25,new,2026-11-25T10:00:00Z\n")
        try project.commit("a delivery")
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(try project.run(as: "ci", ["run", "daily", "--env", "dev"]).status == 0)
        let merged = try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try project.versions(in: "prod") == project.versions(in: "dev"))
        let audit = try project.run(as: "ops", ["audit", "--action", "promote", "--json"]).stdout
        #expect(audit.contains(#""kind":"merge""#) || audit.contains(#""kind" : "merge""#), "\(audit)")
        #expect(try project.run(["audit", "verify"]).status == 0)
    }

    @Test func aDatasetChangedOnBothSidesIsAConflictAndResetResolvesIt() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(of: "\"write:sandbox/*\"] }", with: "\"write:sandbox/*\", \"promote:dev\"] }")
        }
        try project.commit("engineers promote into dev")
        #expect(try project.run(as: "ops", ["apply"]).status == 0)
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(
            try project.run(as: "alice", ["env", "create", "sandbox/alice", "--from", "dev"]).status == 0)
        try project.write(
            "landing/orders/2026-11-25.csv",
            "order_id,customer_id,amount,status,ordered_at\n2,1,4.25,new,2026-11-25T10:00:00Z\n")
        #expect(try project.run(as: "alice", ["ingest", "orders_drop", "--env", "sandbox/alice"]).status == 0)
        try project.write(
            "landing/orders/2026-11-26.csv",
            "order_id,customer_id,amount,status,ordered_at\n3,1,9,new,2026-11-26T10:00:00Z\n")
        try project.commit("two deliveries")
        let dev = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(dev.status == 0, "\(dev.stderr)")
        let devBefore = try project.versions(in: "dev")
        let conflict = try project.run(as: "alice", ["promote", "--from", "sandbox/alice", "--to", "dev"])
        #expect(conflict.status == 4, "\(conflict.stdout)\(conflict.stderr)")
        #expect(
            conflict.stderr.contains("both changed raw.orders (sandbox/alice: ")
                && conflict.stderr.contains("sluice env reset sandbox/alice --to dev"),
            "\(conflict.stderr)")
        #expect(try project.versions(in: "dev") == devBefore, "nothing moved")
        let reset = try project.run(as: "alice", ["env", "reset", "sandbox/alice", "--to", "dev"])
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(try project.versions(in: "sandbox/alice") == devBefore)
        let again = try project.run(as: "alice", ["promote", "--from", "sandbox/alice", "--to", "dev"])
        #expect(again.status == 0 && again.stdout.contains("nothing to promote"), "\(again.stdout)\(again.stderr)")
        // A protected environment is never reset.
        let prod = try project.run(as: "ci", ["env", "reset", "prod", "--to", "dev"])
        #expect(prod.status == 3 && prod.stderr.contains("protected"), "\(prod.stderr)")
    }
}
