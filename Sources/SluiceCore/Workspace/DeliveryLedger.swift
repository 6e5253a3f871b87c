import Foundation

/// Which files of an `append` source need not be read again in an environment: those of the dataset's current
/// version there (its manifest names each file with the digest it was delivered with) and those of batches
/// the gate refused in any environment. The ledger lives in the store's own records, so a file lands once whoever
/// ingests it (by hand or by the landing trigger), and a refused file is not quarantined again.
struct DeliveryLedger {
    private var delivered = Set<String>()
    /// Names of files landed before digests were kept.
    private var namesOnly = Set<String>()

    init(previous: DatasetVersion?, refused: [QuarantineBatch]) {
        for file in (previous?.manifest.files ?? []) + refused.flatMap(\.files) {
            if let digest = file.delivered {
                delivered.insert(Self.key(file.name, digest))
            } else {
                namesOnly.insert(file.name)
            }
        }
    }

    /// The digest a delivered file is known by: a hash of the hashes of its pieces.
    static func digest(_ file: ManifestFile) -> String {
        ObjectID.hashing(Data(file.chunks.map(\.object.hex).joined(separator: "\n").utf8)).hex
    }

    func landed(_ file: ManifestFile) -> Bool {
        namesOnly.contains(file.name) || file.delivered.map { delivered.contains(Self.key(file.name, $0)) } == true
    }

    private static func key(_ name: String, _ digest: String) -> String { "\(name)\u{0}\(digest)" }

    /// `snapshot` without the files that landed already, and the staged objects only those used.
    func fresh(_ snapshot: Snapshotter.Result) -> (fresh: Snapshotter.Result, unused: [StagedObject]) {
        var result = snapshot
        let keep = snapshot.files.map { !landed($0) }
        result.files = zip(snapshot.files, keep).filter(\.1).map(\.0)
        result.headers =
            snapshot.headers.count == keep.count ? zip(snapshot.headers, keep).filter(\.1).map(\.0) : []
        let used = Set(result.files.flatMap { $0.chunks.map(\.object) })
        result.staged = snapshot.staged.filter { used.contains($0.id) }
        return (result, snapshot.staged.filter { !used.contains($0.id) })
    }
}
