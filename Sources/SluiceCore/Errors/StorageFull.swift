/// The disk holding the store has no room left: the write failed and changed nothing; reading (and
/// `sluice verify`) keeps working.
public struct StorageFull: SluiceError {
    public var what: String

    public init(_ what: String) {
        self.what = what
    }

    public var status: ExitStatus { .failed }
    public var code: ErrorCode { .storageFull }

    public var description: String {
        "no space left on the disk holding the store: \(what) failed and nothing changed\n"
            + "hint: free some space (sluice gc --dry-run shows what lifecycle would delete), then retry; reads keep working"
    }
}
