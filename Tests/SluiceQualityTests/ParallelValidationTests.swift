import Foundation
import SluiceCore
import SluiceStore
import SluiceTestSupport
import Testing

@testable import SluiceQuality

/// Cutting a file into pieces checked on several threads must give exactly what one sequential read
/// gives: the same counts, samples, line numbers, first-occurrence duplicates and row verdicts in order,
/// however quoted line breaks fall across piece boundaries.
@Suite struct ParallelValidationTests {
    static func dataset() throws -> Dataset {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-p-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = """
            project: p
            environments:
              dev: { lifecycle: { expire_after_idle: 30d } }
            datasets:
              raw.t:
                owner: x
                classification: internal
                columns:
                  id: { type: int, required: true, unique: true }
                  email: { type: string, pattern: '^[a-z0-9.]+@[a-z]+\\.[a-z]{2,}$', unique: true }
                  note: { type: string, max_length: 40 }
                  status: { type: string, in: [a, b, c] }
                  amount: { type: decimal, min: 0, max: 1000 }
                checks:
                  - { unique: [status, amount] }

            """
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("sluice.yaml"))
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: folder).project
        let name = try #require(DatasetName("raw.t"))
        return try #require(project.datasets[name])
    }

    /// Rows with quoted notes holding delimiters, doubled quotes and line breaks (LF and CRLF), some
    /// duplicate ids and emails far apart, bad values and malformed records.
    static func csv(rows: Int, seed: UInt64) -> String {
        var generator = SplitMix(seed: seed)
        var text = "id,email,note,status,amount\r\n"
        for row in 1...rows {
            let roll = generator.next() % 100
            let id = roll < 3 ? Int(generator.next() % UInt64(row)) + 1 : row
            let email = roll == 5 ? "bad" : "u\(roll == 6 ? 7 : row)@x.io"
            var note = "plain \(row)"
            switch generator.next() % 6 {
            case 0: note = "\"line one\nline \"\"two\"\", \(row)\""
            case 1: note = "\"a,b\r\nc\""
            case 2: note = "\"\(String(repeating: "x", count: 50))\""
            default: break
            }
            let status = ["a", "b", "c", "z"][Int(generator.next() % 4)]
            let amount = roll == 9 ? "-1" : "\(generator.next() % 2000).5"
            text +=
                roll == 11
                ? "\(id),oops\n" : "\(id),\(email),\(note),\(status),\(amount)\(row % 2 == 0 ? "\r\n" : "\n")"
        }
        return text
    }

    struct Outcome: Equatable {
        var report: String
        var verdicts: [String]
    }

    func run(
        _ text: String, chunkSize: Int, workers: Int, dataset: Dataset, format: DataFormat = .csv
    ) throws -> Outcome {
        let validator = ContractValidator(
            dataset: dataset, format: format, now: Timestamp(milliseconds: 0), sampleLimit: 50, chunkSize: chunkSize,
            workers: workers)
        var verdicts: [String] = []
        let report = try validator.validate(
            [(name: "t.csv", source: ConcatenatedByteSource([Data(text.utf8)]))], rows: .all,
            onRow: { verdict in
                verdicts.append(
                    "\(verdict.line):\(verdict.failed.joined(separator: "+")):\(String(decoding: verdict.raw, as: UTF8.self))"
                )
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Outcome(report: String(decoding: try encoder.encode(report), as: UTF8.self), verdicts: verdicts)
    }

    @Test(arguments: [1, 2, 3])
    func piecesOnThreadsMatchOneSequentialRead(seed: UInt64) throws {
        let dataset = try Self.dataset()
        let text = Self.csv(rows: 3000, seed: seed)
        let sequential = try run(text, chunkSize: 1 << 30, workers: 0, dataset: dataset)
        #expect(sequential.verdicts.count == 3000)
        #expect(sequential.verdicts.contains { $0.contains("id.unique") })
        #expect(sequential.verdicts.contains { $0.contains("parse") })
        for (chunkSize, workers) in [(4096, 2), (4099, 3), (5000, 0), (65536, 2)] {
            let pieces = try run(text, chunkSize: chunkSize, workers: workers, dataset: dataset)
            #expect(pieces.report == sequential.report, "chunk \(chunkSize), \(workers) workers")
            #expect(pieces.verdicts == sequential.verdicts, "chunk \(chunkSize), \(workers) workers")
        }
    }

    /// JSON Lines with blank lines, CRLF, invalid JSON, arrays, nulls, missing keys, duplicates and one
    /// line longer than several pieces.
    static func jsonLines(rows: Int, seed: UInt64) -> String {
        var generator = SplitMix(seed: seed)
        var text = ""
        for row in 1...rows {
            let roll = generator.next() % 100
            let id = roll < 3 ? Int(generator.next() % UInt64(row)) + 1 : row
            let email = roll == 5 ? "bad" : "u\(roll == 6 ? 7 : row)@x.io"
            let status = ["a", "b", "c", "z"][Int(generator.next() % 4)]
            let note = row == rows / 2 ? String(repeating: "n", count: 20_000) : "note \(row)"
            let amount = roll == 9 ? "-1" : "\(generator.next() % 2000).5"
            switch roll {
            case 11: text += "{\"id\": \(id), \"email\": \n"
            case 12: text += "[1, 2]\n"
            case 13: text += "   \n"
            case 14: text += "{\"id\": \(id), \"email\": null, \"status\": \"a\"}\r\n"
            default:
                text +=
                    "{\"id\": \(id), \"email\": \"\(email)\", \"note\": \"\(note)\", \"status\": \"\(status)\", \"amount\": \(amount)}"
                    + (row % 2 == 0 ? "\r\n" : "\n")
            }
        }
        return text
    }

    @Test(arguments: [4, 5])
    func jsonLinesPiecesOnThreadsMatchOneSequentialRead(seed: UInt64) throws {
        let dataset = try Self.dataset()
        let text = Self.jsonLines(rows: 2500, seed: seed)
        let sequential = try run(text, chunkSize: 1 << 30, workers: 0, dataset: dataset, format: .jsonl)
        #expect(sequential.verdicts.count > 2400)
        #expect(sequential.verdicts.contains { $0.contains("id.unique") })
        #expect(sequential.verdicts.contains { $0.contains("parse") })
        for (chunkSize, workers) in [(4096, 2), (4099, 3), (5000, 0), (65536, 2)] {
            let pieces = try run(text, chunkSize: chunkSize, workers: workers, dataset: dataset, format: .jsonl)
            #expect(pieces.report == sequential.report, "chunk \(chunkSize), \(workers) workers")
            #expect(pieces.verdicts == sequential.verdicts, "chunk \(chunkSize), \(workers) workers")
        }
    }

    @Test func aQuotedFieldLongerThanAPieceIsReadWhole() throws {
        let dataset = try Self.dataset()
        let long = String(repeating: "y\n", count: 6000)
        let text = "id,email,note,status,amount\n1,a@b.cd,\"\(long)\",a,1\n2,c@d.ef,short,b,2\n"
        let outcome = try run(text, chunkSize: 4096, workers: 2, dataset: dataset)
        #expect(outcome.verdicts.count == 2)
        #expect(outcome.verdicts[0].hasPrefix("2:note.max_length:"))
        #expect(outcome.verdicts[1].hasPrefix("\(3 + 6000):"))
    }
}
