/// An environment name or a glob over environment names (`prod`, `sandbox/*`, `*`).
/// `*` matches any run of characters, including `/`, so `*` covers every environment.
public struct EnvironmentPattern: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    public init?(_ text: String) {
        guard NameRules.isEnvironmentPattern(text) else { return nil }
        self.text = text
    }

    public var isConcrete: Bool { !text.contains("*") }
    public var description: String { text }

    public func matches(_ environment: String) -> Bool {
        Self.glob(Array(text.utf8)[...], Array(environment.utf8)[...])
    }

    /// Specificity used to pick the closest matching declaration: concrete names first, then longer prefixes.
    public var specificity: Int { isConcrete ? Int.max : text.count }

    private static func glob(_ pattern: ArraySlice<UInt8>, _ subject: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return subject.isEmpty }
        if first == UInt8(ascii: "*") {
            let rest = pattern.dropFirst()
            var tail = subject
            while true {
                if glob(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let head = subject.first, head == first else { return false }
        return glob(pattern.dropFirst(), subject.dropFirst())
    }
}
