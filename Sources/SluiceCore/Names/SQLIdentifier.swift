/// Quoting of SQL identifiers that may come from hostile text (a CSV header, a JSON key).
public enum SQLIdentifier {
    /// `name` as a quoted SQL identifier: wrapped in `"`, every embedded `"` doubled, so no text can end
    /// the identifier early. `nil` for text no SQL engine accepts as a name (empty, or holding a NUL).
    public static func quoted(_ name: String) -> String? {
        guard !name.isEmpty, !name.utf8.contains(0) else { return nil }
        var out = "\""
        out.reserveCapacity(name.utf8.count + 2)
        for character in name.unicodeScalars {
            if character == "\"" { out += "\"\"" } else { out.unicodeScalars.append(character) }
        }
        return out + "\""
    }
}
