import Foundation
import PropertyBased
import SluiceCore
import Testing

@testable import SluiceQuality

/// Issue 11: the gate's counts against `ReferenceGate` on generated contracts and files (every type's accepted
/// and refused spellings, empty values, composite keys, CRLF, byte order marks, quoted line breaks, malformed
/// records, versions of several files). The seed is fixed, so CI runs the same cases every time;
/// `SLUICE_PROPERTY_CASES=5000` runs more of them, and `SLUICE_PROPERTY_SEED=N` other ones.
@Suite struct DifferentialGateTests {
    static var cases: Int { Int(ProcessInfo.processInfo.environment["SLUICE_PROPERTY_CASES"] ?? "") ?? 300 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["SLUICE_PROPERTY_SEED"] ?? "") ?? 11 }
    static let generator = Gen.int(in: 0...65_535).array(of: 8...1200).map(GateCase.init)

    let validator = ContractValidatorTests()

    @Test func countsMatchTheReference() throws {
        var random = Xoshiro(seed: (Self.seed, 0x51C3, 0x0D1F, 0xF00D))
        var failed = 0
        for index in 0..<Self.cases where failed < 3 {
            let test = Self.generator.run(using: &random)
            let dataset = try validator.dataset(test.yaml)
            let report = try ContractValidator(
                dataset: dataset, format: .csv, now: ContractValidatorTests.now, chunkSize: 4096
            ).validate(
                test.csvFiles.enumerated().map {
                    (name: "f\($0.offset).csv", source: ConcatenatedByteSource([Data($0.element.utf8)]))
                })
            let expected = ReferenceGate(test)
            var found: [String: Int] = [:]
            for check in report.checks where check.unexpectedCount > 0 { found[check.id] = Int(check.unexpectedCount) }
            let agrees =
                report.batchProblems.isEmpty && report.rows == Int64(expected.rows)
                && report.invalidRows == Int64(expected.invalidRows) && found == expected.failures
            if !agrees {
                failed += 1
                Issue.record(
                    """
                    case \(index) (seed \(Self.seed)): sluice rows \(report.rows), invalid \(report.invalidRows), \
                    \(found.sorted { $0.key < $1.key }), batch \(report.batchProblems); reference rows \(expected.rows), \
                    invalid \(expected.invalidRows), \(expected.failures.sorted { $0.key < $1.key })
                    \(test)
                    """)
            }
        }
    }
}
