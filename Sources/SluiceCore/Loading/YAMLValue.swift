import Yams

/// A YAML node together with the file it came from, read with typed accessors that report mistakes
/// (wrong types, unknown keys) at the node's `file:line:column` instead of failing.
struct YAMLValue {
    let node: Node
    let file: String
    let sink: DiagnosticCollector
    /// Where the enclosing key was written, used when the node itself has no mark.
    let fallback: SourceLocation

    var location: SourceLocation {
        guard let mark = node.mark else { return fallback }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    /// Where the character `offset` of a scalar's text is (after its opening quote, if it has one).
    func location(ofCharacter offset: Int) -> SourceLocation {
        var location = self.location
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            location.column += 1
        }
        location.column += offset
        return location
    }

    func child(_ node: Node) -> YAMLValue {
        YAMLValue(node: node, file: file, sink: sink, fallback: location)
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node { return scalar.style == .plain && node.null != nil }
        return false
    }

    /// The entries of a mapping in written order. `nil` (and a diagnostic)
    /// when the node is not a mapping.
    func entries(_ what: String) -> [(key: String, keyLocation: SourceLocation, value: YAMLValue)]? {
        guard case .mapping(let mapping) = node else {
            if isNull { return [] }
            sink.error(location, "\(what) must be a mapping of keys to values, found \(kind)")
            return nil
        }
        // Duplicate keys never get here: the YAML parser rejects them with their line.
        var result: [(key: String, keyLocation: SourceLocation, value: YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            let keyValue = child(keyNode)
            guard case .scalar(let scalar) = keyNode else {
                sink.error(keyValue.location, "keys in \(what) must be plain names")
                continue
            }
            let key = scalar.string
            let value = YAMLValue(node: valueNode, file: file, sink: sink, fallback: keyValue.location)
            result.append((key, keyValue.location, value))
        }
        return result
    }

    /// Reads a mapping with a fixed set of keys; unknown keys are errors with a suggestion.
    func fields(_ what: String, allowed: [String]) -> [String: YAMLValue]? {
        guard let entries = entries(what) else { return nil }
        var fields: [String: YAMLValue] = [:]
        for entry in entries {
            if allowed.contains(entry.key) {
                fields[entry.key] = entry.value
            } else {
                let suggestion = Self.closest(to: entry.key, in: allowed).map { "; did you mean \($0)?" } ?? ""
                sink.error(
                    entry.keyLocation,
                    "unknown key \(NameRules.quoted(entry.key)) in \(what)\(suggestion) (allowed: \(allowed.joined(separator: ", ")))"
                )
            }
        }
        return fields
    }

    func string(_ what: String) -> String? {
        guard case .scalar(let scalar) = node, !isNull else {
            sink.error(location, "\(what) must be a text value, found \(kind)")
            return nil
        }
        return scalar.string
    }

    func bool(_ what: String) -> Bool? {
        guard case .scalar = node, let value = node.bool else {
            sink.error(location, "\(what) must be true or false, found \(describe)")
            return nil
        }
        return value
    }

    func int(_ what: String, min: Int? = nil) -> Int? {
        guard case .scalar = node, let value = node.int else {
            sink.error(location, "\(what) must be a whole number, found \(describe)")
            return nil
        }
        if let min, value < min {
            sink.error(location, "\(what) must be at least \(min), found \(value)")
            return nil
        }
        return value
    }

    func number(_ what: String) -> Double? {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            sink.error(location, "\(what) must be a number, found \(describe)")
            return nil
        }
        return value
    }

    func timeSpan(_ what: String) -> TimeSpan? {
        guard let text = string(what) else { return nil }
        guard let span = TimeSpan(text) else {
            sink.error(
                location,
                "\(what) must be a duration such as 90s, 10m, 2h, 7d or 2w (at most 1000 years), found \(NameRules.quoted(text))"
            )
            return nil
        }
        return span
    }

    /// A list of values; a single scalar is not accepted where a list is expected.
    func list(_ what: String) -> [YAMLValue]? {
        guard case .sequence(let sequence) = node else {
            if isNull { return [] }
            sink.error(location, "\(what) must be a list, found \(kind)")
            return nil
        }
        return sequence.map { child($0) }
    }

    func stringList(_ what: String) -> [(String, SourceLocation)]? {
        guard let items = list(what) else { return nil }
        return items.compactMap { item in item.string("each entry of \(what)").map { ($0, item.location) } }
    }

    var kind: String {
        switch node {
        case .scalar: return isNull ? "nothing" : "a text value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private var describe: String {
        if case .scalar(let scalar) = node, !isNull { return NameRules.quoted(scalar.string) }
        return kind
    }

    /// The allowed word within edit distance 2 of a mistyped one.
    static func closest(to word: String, in candidates: [String]) -> String? {
        candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = current
        }
        return previous[b.count]
    }
}
