import Foundation
import SluiceCore
import SluiceQuality
import SluiceStore
import Testing

/// Issue 10 item 6: the bytes the gate checked are the bytes that land, whatever happens to the landing
/// file while an ingest runs.
@Suite struct CheckedBytesTests {
    /// A gate that swaps the landing file for bad data right after it has checked its input.
    struct SwappingGate: QualityGate {
        let inner = ContractGate()
        let landing: URL
        let replacement: String

        func validate(
            dataset: Dataset, format: DataFormat, delimiter: UInt8, files: [GateFile],
            references: [String: Set<String>?], now: Timestamp, rows: RowDelivery,
            onHeader: (Int, UnsafeRawBufferPointer) throws -> Void, onRow: (RowVerdict) throws -> Void
        ) throws -> ValidationReport {
            let report = try inner.validate(
                dataset: dataset, format: format, delimiter: delimiter, files: files, references: references,
                now: now, rows: rows, onHeader: onHeader, onRow: onRow)
            try Data(replacement.utf8).write(to: landing)
            return report
        }

        func columnValues(
            column: String, type: ColumnType?, dateFormat: DateFormat?, format: DataFormat, delimiter: UInt8,
            data: [Data]
        ) throws -> Set<String> {
            try inner.columnValues(
                column: column, type: type, dateFormat: dateFormat, format: format, delimiter: delimiter, data: data)
        }
    }

    @Test func aFileSwappedAfterTheGateDoesNotLand() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-swap-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try ProjectScaffold.write(to: root, name: "swap")
        let good = "order_id,customer_id,amount,status,ordered_at\n1,1,10.50,paid,2026-11-24T10:00:00Z\n"
        let bad = "order_id,customer_id,amount,status,ordered_at\n1,1,-500,stolen,2026-11-24T10:00:00Z\n"
        let landing = root.appendingPathComponent("landing/orders/a.csv")
        try Data(good.utf8).write(to: landing)
        try Data("customer_id,name,email,country,signed_up_at\n1,Ada,a@b.c,GB,2026-01-01T00:00:00Z\n".utf8).write(
            to: root.appendingPathComponent("landing/customers/c.csv"))
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: root).project
        let store = try LocalStore(directory: project.storeDirectory)
        let policy = AppliedPolicy(project: project)
        let alice = Identity(
            principal: "alice", role: policy.role(ofPrincipal: "alice"), authentication: .token, tokenID: "t")
        let clean = Workspace(
            project: project, objects: store.objects, metadata: store.metadata, identity: alice, gate: ContractGate(),
            git: GitWorkTree(), files: LocalFileSource())
        _ = try await clean.ingest(source: "customers_drop", environment: "dev")
        let racing = Workspace(
            project: project, objects: store.objects, metadata: store.metadata, identity: alice,
            gate: SwappingGate(landing: landing, replacement: bad), git: GitWorkTree(), files: LocalFileSource())
        _ = try await racing.ingest(source: "orders_drop", environment: "dev")
        #expect(try String(contentsOf: landing, encoding: .utf8) == bad, "the swap happened")
        var landed = Data()
        try await clean.cat("raw.orders", in: "dev") { landed.append(contentsOf: $0) }
        #expect(String(decoding: landed, as: UTF8.self) == good)
    }
}
