import CSluiceSystem
import Foundation

/// What the caller handed this process that lets it act as someone: taken out of the process's
/// environment before anything else runs, so that no child process and no reader of /proc can find it.
enum CallerSecrets {
    /// `SLUICE_TOKEN` as it was at start; the environment no longer holds it.
    nonisolated(unsafe) private(set) static var token: String?

    /// Takes the token (its bytes in the original environment block are zeroed) and makes the process
    /// non-dumpable, so that other processes of the same user cannot read its memory, environment or
    /// working directory under /proc. Called once, first thing in `main`.
    static func secure() {
        if let pointer = sluice_take_environment_secret("SLUICE_TOKEN") {
            token = String(cString: pointer)
            free(pointer)
        }
        _ = sluice_make_undumpable()
    }
}
