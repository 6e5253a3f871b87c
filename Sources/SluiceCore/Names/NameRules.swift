/// The character rules every name in a project follows, so that no name can escape `.sluice/`,
/// break a SQL identifier, a file path or a log line.
public enum NameRules {
    /// Longest accepted identifier.
    public static let maxLength = 63

    /// Zone and dataset part names: lower-case letters, digits and `_`, starting with a letter.
    /// They become SQL identifiers, so no `-`.
    public static func isSQLSafeIdentifier(_ text: String) -> Bool {
        matches(text, allowHyphen: false)
    }

    /// Principals, roles, sources, pipelines and steps: lower-case letters, digits, `_` and `-`,
    /// starting with a letter.
    public static func isIdentifier(_ text: String) -> Bool {
        matches(text, allowHyphen: true)
    }

    /// Column names are the data's own header text (`Name`, `Miles_per_Gallon`, `Adj Close`): 1 to 128
    /// characters, no control characters (line breaks, tabs) and no space at either end. SQL steps quote
    /// them, so any such text is safe there.
    public static func isColumnName(_ text: String) -> Bool {
        guard (1...128).contains(text.count), text.first != " ", text.last != " " else { return false }
        return !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Environment names: one to four identifier segments joined by `/` (`dev`, `sandbox/alice-exp`).
    /// `audit` is reserved: the grant `read:audit` names the audit log, not an environment.
    public static func isEnvironmentName(_ text: String) -> Bool {
        guard text != "audit" else { return false }
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...4).contains(segments.count) else { return false }
        return segments.allSatisfy { matches(String($0), allowHyphen: true, allowLeadingDigit: true) }
    }

    /// Environment patterns in grants and environment declarations: an environment name whose segments
    /// may also be `*`, or end in `*` (`sandbox/*`, `*`, `team-*`).
    public static func isEnvironmentPattern(_ text: String) -> Bool {
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...4).contains(segments.count) else { return false }
        return segments.allSatisfy { segment in
            if segment == "*" { return true }
            let body = segment.hasSuffix("*") ? segment.dropLast() : segment[...]
            return matches(String(body), allowHyphen: true, allowLeadingDigit: true)
        }
    }

    static func matches(_ text: String, allowHyphen: Bool, allowLeadingDigit: Bool = false) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if index == 0 && !allowLeadingDigit { return false }
            case UInt8(ascii: "_"):
                if index == 0 { return false }
            case UInt8(ascii: "-"):
                if index == 0 || !allowHyphen { return false }
            default: return false
            }
        }
        return true
    }

    /// A printable, quoted rendering of untrusted text for error messages (never more than 80 characters).
    public static func quoted(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(80) {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        if text.unicodeScalars.count > 80 { out += "…" }
        return "\"\(out)\""
    }
}
