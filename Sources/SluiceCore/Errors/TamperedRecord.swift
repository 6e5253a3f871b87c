/// A stored record no longer matches its content-addressed id, or cannot be read: the metadata was changed
/// behind Sluice's back. Verification fails (exit 1) naming it.
public struct TamperedRecord: SluiceError {
    public var what: String

    public init(_ what: String) {
        self.what = what
    }

    public var status: ExitStatus { .failed }
    public var code: ErrorCode { .tampered }

    public var description: String {
        "\(what): the metadata database was changed outside Sluice\n"
            + "hint: restore the store from a backup; sluice audit verify and sluice verify name what else differs"
    }
}
