import Crypto
import Foundation

/// Creates and hashes API token secrets. Only the hash is ever stored.
public enum TokenSecret {
    public static let prefix = "sluice_"

    /// A new random secret: `sluice_` and 43 characters of base64url (256 bits).
    public static func generate() -> String { prefix + random() }

    /// 256 bits from the system's secure generator, as 43 characters of unpadded base64url (safe in a cookie,
    /// a form and a URL).
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ secret: String) -> String {
        ObjectID.hashing(Data(secret.utf8)).hex
    }
}
