import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A raw HTTP/1.1 exchange over a POSIX socket to 127.0.0.1: the hostile tests send bytes no well-behaved client
/// library would (invalid UTF-8, dot segments, half a request) and need to see exactly what comes back.
final class RawConnection {
    let descriptor: Int32

    /// `from` binds the client's end to another loopback address (127.0.0.2 plays the attacker).
    init(port: UInt16, timeout: Double = 10, from: String? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError(description: "socket: errno \(errno)") }
        if let from {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, from, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else {
                close(descriptor)
                throw HarnessError(description: "bind \(from): errno \(errno)")
            }
        }
        var seconds = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw HarnessError(description: "connect: errno \(errno)")
        }
    }

    deinit { close(descriptor) }

    /// Sends every byte; false when the server closed the connection first (EPIPE, ECONNRESET).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    /// Everything until the server closes the connection (or the read timeout passes).
    func readToEnd() -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return out }
            out += buffer[..<n]
        }
    }

    /// True when the server closes the connection within `seconds` (recv sees the end, or a reset).
    func closedByServer(within seconds: Double) -> Bool {
        var wait = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        while true {
            let n = recv(descriptor, &byte, 1, 0)
            if n < 0 && errno == EINTR { continue }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
            // A byte: the server answered something (e.g. 408) before closing; keep reading to the end.
        }
    }
}

/// One raw response: the status (0 when the server closed without answering), the head and the body.
struct RawResponse {
    let status: Int
    let head: String
    let body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? {
        head.split(separator: "\r\n").dropFirst().first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
            .map { String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) }
    }
}

/// Sends `head` (request line and headers, CRLF-separated, without the blank line) and `body` with
/// `Connection: close`, and reads the whole answer.
func rawExchange(_ port: UInt16, _ head: [UInt8], body: [UInt8] = [], from: String? = nil) throws -> RawResponse {
    let connection = try RawConnection(port: port, from: from)
    connection.send(
        head + Array("\r\nHost: 127.0.0.1\r\nConnection: close\r\n".utf8)
            + (body.isEmpty ? [] : Array("Content-Length: \(body.count)\r\n".utf8)) + Array("\r\n".utf8) + body)
    let bytes = connection.readToEnd()
    guard let split = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return RawResponse(status: 0, head: "", body: bytes) }
    let head = String(decoding: bytes[..<split.lowerBound], as: UTF8.self)
    let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    return RawResponse(status: status, head: head, body: Array(bytes[split.upperBound...]))
}

func rawExchange(_ port: UInt16, _ head: String, body: String = "", from: String? = nil) throws -> RawResponse {
    try rawExchange(port, Array(head.utf8), body: Array(body.utf8), from: from)
}
