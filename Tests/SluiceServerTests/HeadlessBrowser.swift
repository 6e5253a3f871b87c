import Foundation
import SluiceTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's Chromium, headless, driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands
/// on descriptor 3, answers and events on descriptor 4, each message ended by a NUL byte). Tests load pages in
/// it as a person's browser would, sign in through the form, read the rendered DOM, collect every error the
/// page reports (script exceptions, console errors, refused or failed loads) and take screenshots.
final class HeadlessBrowser: @unchecked Sendable {
    static let binary: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var available: Bool { binary != nil }

    private let pid: pid_t
    private let commands: Int32
    /// What the browser said, filled by a reader thread that holds only this (never the browser, which would
    /// then never be released, nor its process stopped).
    private let inbox = Inbox()
    private let lock = NSLock()
    private var nextID = 0
    private var sessionID = ""
    private let profile: URL
    private let scratch: URL

    init(width: Int = 1280, height: Int = 900) throws {
        guard let binary = Self.binary else { throw BrowserError("chromium is not installed") }
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-chromium-\(UUID().uuidString)")
        // Its own temporary files go in a folder of its own, removed with it (a killed browser cannot remove them);
        // a short name, since its sockets' paths must fit in 108 bytes.
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-cr-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var toBrowser: [Int32] = [0, 0]
        var fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw BrowserError("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        let devnull = open("/dev/null", O_WRONLY)
        posix_spawn_file_actions_adddup2(&actions, devnull, 1)
        posix_spawn_file_actions_adddup2(&actions, devnull, 2)
        let arguments = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
            "--disable-extensions", "--hide-scrollbars", "--user-data-dir=\(profile.path)",
            "--window-size=\(width),\(height)", "about:blank",
        ]
        var argv = arguments.map { strdup($0) } + [nil]
        // A process group of its own: the browser's helpers stop with it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var child: pid_t = 0
        let environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": scratch.path]) { $1 }
        var envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let spawned = posix_spawn(&child, binary, &actions, &attributes, &argv, &envp)
        envp.forEach { free($0) }
        argv.forEach { free($0) }
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
        close(devnull)
        close(toBrowser[0])
        close(fromBrowser[1])
        guard spawned == 0 else { throw BrowserError("chromium did not start: \(spawned)") }
        pid = child
        TestLeftovers.track(group: child)
        TestLeftovers.track(folder: profile)
        TestLeftovers.track(folder: scratch)
        commands = toBrowser[1]
        let answers = fromBrowser[0]
        Thread { [inbox] in inbox.read(answers) }.start()
        let target = try call("Target.createTarget", ["url": "about:blank"], session: false)
        let attached = try call(
            "Target.attachToTarget", ["targetId": target["targetId"] as? String ?? "", "flatten": true], session: false)
        sessionID = attached["sessionId"] as? String ?? ""
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] { _ = try call(domain, [:]) }
    }

    deinit {
        close(commands)
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(at: profile)
        try? FileManager.default.removeItem(at: scratch)
    }

    struct Loaded {
        var html: String
        var text: String
        var errors: [String]
    }

    /// Loads `url`, waits for its load event, and returns the rendered DOM and the errors reported meanwhile.
    func load(_ url: String, timeout: TimeInterval = 20) throws -> Loaded {
        let mark = inbox.count
        _ = try call("Page.navigate", ["url": url])
        _ = try wait(after: mark, timeout: timeout) { $0["method"] as? String == "Page.loadEventFired" }
        // Scripts run at DOMContentLoaded; give the page a moment to finish them and report.
        Thread.sleep(forTimeInterval: 0.3)
        let html = try evaluate("document.documentElement.outerHTML")
        let text = try evaluate("document.body ? document.body.innerText : ''")
        return Loaded(html: html, text: text, errors: errors(after: mark))
    }

    /// Presses a key (`Tab`, `Enter`) as a person would, in the focused element.
    func press(_ key: String, code: Int) throws {
        for type in ["keyDown", "keyUp"] {
            _ = try call(
                "Input.dispatchKeyEvent",
                ["type": type, "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code]
                    .merging(type == "keyDown" && key == "Enter" ? ["text": "\r"] : [:]) { $1 })
        }
        Thread.sleep(forTimeInterval: 0.1)
    }

    /// Emulates the system's dark (or light) appearance for the pages loaded after it.
    func prefersDark(_ dark: Bool) throws {
        _ = try call(
            "Emulation.setEmulatedMedia",
            ["features": [["name": "prefers-color-scheme", "value": dark ? "dark" : "light"]]])
    }

    /// Runs `expression` in the page and returns its value as text.
    func evaluate(_ expression: String) throws -> String {
        let result = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        let value = (result["result"] as? [String: Any])?["value"]
        return value.map { "\($0)" } ?? ""
    }

    /// Fills the sign-in form with `token` and sends it, as a person would.
    func signIn(base: String, token: String) throws {
        _ = try load("\(base)/ui/signin")
        let mark = inbox.count
        let literal = String(decoding: try JSONSerialization.data(withJSONObject: [token]), as: UTF8.self)
        _ = try evaluate(
            "document.getElementById('token').value = \(literal)[0]; document.forms[document.forms.length - 1].submit(); 1"
        )
        _ = try wait(after: mark, timeout: 20) { $0["method"] as? String == "Page.loadEventFired" }
    }

    /// A PNG of the whole page, or of what the window shows.
    func screenshot(to file: URL, fullPage: Bool = true) throws {
        if !fullPage { _ = try evaluate("window.scrollTo(0, 0); 1") }
        let shot = try call("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": fullPage])
        guard let data = Data(base64Encoded: shot["data"] as? String ?? "") else { throw BrowserError("no screenshot") }
        try data.write(to: file)
    }

    /// Errors among the messages since `mark`: uncaught exceptions, console errors and warnings, and log
    /// entries at error level (a refused script or style, a failed load).
    private func errors(after mark: Int) -> [String] {
        inbox.messages(after: mark).compactMap { message -> String? in
            let params = message["params"] as? [String: Any] ?? [:]
            switch message["method"] as? String {
            case "Runtime.exceptionThrown":
                let details = params["exceptionDetails"] as? [String: Any] ?? [:]
                return
                    "exception: \(details["text"] ?? "") \((details["exception"] as? [String: Any])?["description"] ?? "")"
            case "Runtime.consoleAPICalled" where ["error", "warning", "assert"].contains(params["type"] as? String):
                return "console \(params["type"] ?? ""): \(params["args"] ?? "")"
            case "Log.entryAdded":
                let entry = params["entry"] as? [String: Any] ?? [:]
                guard entry["level"] as? String == "error" else { return nil }
                return "log: \(entry["text"] ?? "") \(entry["url"] ?? "")"
            default: return nil
            }
        }
    }

    private func call(_ method: String, _ params: [String: Any], session: Bool = true) throws -> [String: Any] {
        let id = lock.withLock {
            nextID += 1
            return nextID
        }
        let mark = inbox.count
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if session { message["sessionId"] = sessionID }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        let written = data.withUnsafeBytes { Glibc.write(commands, $0.baseAddress, $0.count) }
        guard written == data.count else { throw BrowserError("could not send \(method)") }
        let answer = try wait(after: mark, timeout: 30) { $0["id"] as? Int == id }
        if let error = answer["error"] as? [String: Any] { throw BrowserError("\(method): \(error)") }
        return answer["result"] as? [String: Any] ?? [:]
    }

    private func wait(
        after mark: Int, timeout: TimeInterval, _ matches: ([String: Any]) -> Bool
    ) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let found = inbox.messages(after: mark).first(where: matches) { return found }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw BrowserError("the browser did not answer in \(Int(timeout)) s")
    }
}

/// The browser's messages, in the order they came.
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [[String: Any]] = []

    var count: Int { lock.withLock { received.count } }

    func messages(after mark: Int) -> [[String: Any]] { lock.withLock { Array(received[mark...]) } }

    func read(_ descriptor: Int32) {
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            while let end = pending.firstIndex(of: 0) {
                let body = pending[pending.startIndex..<end]
                pending = Data(pending[(end + 1)...])
                if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
                    lock.withLock { received.append(object) }
                }
            }
        }
        close(descriptor)
    }
}

struct BrowserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
