import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP connection to a loopback port that writes exactly the bytes a test gives it: half-sent requests,
/// hostile `Host` headers, a head that announces a body never sent. URLSession cannot send such things. Its
/// waits run on a thread of their own (`Blocking`), never on the few threads every async test shares.
final class RawConnection: @unchecked Sendable {
    let socket: Int32

    /// Connects from `source` (another loopback address stands for another client).
    init(port: Int, from source: String = "127.0.0.1") throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw CLIErrorText("socket() failed: errno \(errno)") }
        for (call, host, number) in [("bind", source, 0), ("connect", "127.0.0.1", port)] {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(number).bigEndian)
            address.sin_addr.s_addr = inet_addr(host)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    let size = socklen_t(MemoryLayout<sockaddr_in>.size)
                    return call == "bind" ? bind(socket, $0, size) : connect(socket, $0, size)
                }
            }
            guard result == 0 else {
                close(socket)
                throw CLIErrorText("\(call)() to \(host):\(number) failed: errno \(errno)")
            }
        }
    }

    deinit { close(socket) }

    /// Writes `text` (all of it, or throws).
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
            guard written > 0 else { throw CLIErrorText("write failed: errno \(errno)") }
            offset += written
        }
    }

    /// Everything the server sends until it closes the connection or `seconds` pass; `closed` tells which.
    func receive(seconds: Double, until marker: String? = nil) async -> (text: String, closed: Bool) {
        (try? await Blocking.run { self.receiveNow(seconds: seconds, until: marker) }) ?? ("", false)
    }

    private func receiveNow(seconds: Double, until marker: String?) -> (text: String, closed: Bool) {
        var data = [UInt8]()
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        repeat {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(0, deadline.timeIntervalSinceNow * 1000)))
            guard ready > 0 else { continue }
            let count = read(socket, &buffer, buffer.count)
            if count <= 0 { return (String(decoding: data, as: UTF8.self), true) }
            data += buffer[0..<count]
            if let marker, String(decoding: data, as: UTF8.self).contains(marker) { break }
        } while Date() < deadline
        return (String(decoding: data, as: UTF8.self), false)
    }

    /// Sends `text` and waits for the response's status line, timing both on the blocking thread.
    func request(_ text: String, seconds: Double) async -> (status: Int?, seconds: Double) {
        (try? await Blocking.run { () -> (Int?, Double) in
            let start = Date()
            try self.send(text)
            let answer = self.receiveNow(seconds: seconds, until: "\r\n\r\n").text
            let status = answer.hasPrefix("HTTP/1.1 ") ? Int(answer.dropFirst(9).prefix(3)) : nil
            return (status, Date().timeIntervalSince(start))
        }) ?? (nil, seconds)
    }

    /// The status code of the first response line received within `seconds`, or nil.
    func status(seconds: Double) async -> Int? {
        let text = await receive(seconds: seconds, until: "\r\n\r\n").text
        guard text.hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(text.dropFirst(9).prefix(3))
    }
}

struct CLIErrorText: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
