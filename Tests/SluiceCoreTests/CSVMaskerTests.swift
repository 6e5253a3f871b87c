import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// The streaming masker against the masking of fields known from generation, at every chunk size.
@Suite struct CSVMaskerTests {
    static func rawField(_ value: String) -> String {
        // Scalars, not characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    @Test(arguments: [1, 2, 3, 7, 64, 4096])
    func masksExactlyTheMaskedColumnsWhateverTheChunks(_ chunk: Int) {
        var generator = SplitMix(seed: UInt64(chunk))
        let alphabet = ["a", "b", ",", "\"", "\n", "é", "\r\n", "x y", ""]
        let header = ["id", "email", "note"]
        var rows: [[String]] = []
        for _ in 0..<200 {
            rows.append(
                (0..<3).map { _ in
                    (0..<Int(generator.next() % 4)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    }
                    .joined()
                })
        }
        let ending = chunk % 2 == 0 ? "\n" : "\r\n"
        let text =
            ([header] + rows).map { $0.map(Self.rawField).joined(separator: ",") }.joined(separator: ending) + ending
        let expected =
            ([header.joined(separator: ",")]
            + rows.map { row in
                row.enumerated().map { index, value in
                    index == 1 && !value.isEmpty ? "***" : Self.rawField(value)
                }.joined(separator: ",")
            }).joined(separator: ending) + ending
        var masker = CSVMasker(mask: .columns(["email"]))
        var output: [UInt8] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            bytes[start..<end].withUnsafeBytes { output += masker.process($0) }
            start = end
        }
        let got = String(decoding: output, as: UTF8.self)
        let same = zip(got, expected).prefix { $0 == $1 }.count
        #expect(
            got == expected,
            "differs at \(same): \(Array(got.dropFirst(max(0, same - 20)).prefix(40))) vs \(Array(expected.dropFirst(max(0, same - 20)).prefix(40)))"
        )
    }

    @Test func maskingEverythingKeepsTheHeader() {
        var masker = CSVMasker(mask: .all)
        let out = Array("a,b\n1,\"x,y\"\n,2\n".utf8).withUnsafeBytes { masker.process($0) }
        #expect(String(decoding: out, as: UTF8.self) == "a,b\n***,***\n,***\n")
    }
}
