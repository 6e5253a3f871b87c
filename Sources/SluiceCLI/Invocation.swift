import Foundation

/// How a person types this `sluice` again: the bare name when the `PATH` finds this very binary, else its
/// absolute path (as after `swift run sluice demo`, where `sluice` is no command), quoted for a POSIX shell.
enum Invocation {
    static var sluice: String {
        guard let me = Bundle.main.executablePath.map({ URL(fileURLWithPath: $0).resolvingSymlinksInPath().path })
        else { return "sluice" }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("sluice")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate.resolvingSymlinksInPath().path == me ? "sluice" : shellQuoted(me)
            }
        }
        return shellQuoted(me)
    }

    /// `text` as one word of a POSIX shell: as it is when it holds only safe characters, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:@")
        if !text.isEmpty, text.unicodeScalars.allSatisfy(safe.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
