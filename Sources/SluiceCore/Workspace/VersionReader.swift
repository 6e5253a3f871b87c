import Foundation

/// Reads a dataset version's files as the one table they hold: CSV files after the first lose their header
/// line, and a file that does not end with a line break gets one before the next file's records, so no two
/// records are ever glued together. `cat`, step inputs and every other reader of a version go through it.
struct VersionReader {
    let objects: any ObjectStore

    func stream(_ version: DatasetVersion, to sink: (UnsafeRawBufferPointer) throws -> Void) async throws {
        var endsWithLineBreak = true
        var emittedAny = false
        for (index, file) in version.manifest.files.enumerated() {
            var skipping = version.manifest.format == .csv && index > 0
            var separated = false
            for chunk in file.chunks {
                try await objects.stream(chunk.object) { bytes in
                    var part = bytes
                    if skipping {
                        guard let newline = part.firstIndex(of: UInt8(ascii: "\n")) else { return }
                        skipping = false
                        part = UnsafeRawBufferPointer(rebasing: part[(newline + 1)...])
                    }
                    guard !part.isEmpty else { return }
                    if emittedAny && !endsWithLineBreak && !separated {
                        try [UInt8(ascii: "\n")].withUnsafeBytes(sink)
                    }
                    separated = true
                    try sink(part)
                    emittedAny = true
                    endsWithLineBreak = part.last == UInt8(ascii: "\n")
                }
            }
        }
    }
}
