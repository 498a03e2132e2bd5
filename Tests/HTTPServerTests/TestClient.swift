import Foundation
@testable import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

/// A failure of the test client itself (connect, send, timeout, malformed answer).
struct TestClientError: Error, CustomStringConvertible {
    let description: String
}

/// One parsed HTTP/1.1 response, as bytes arrived.
struct TestResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { values(name).first }
    func values(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A raw HTTP/1.1 client over a POSIX socket, so that tests control every byte (keep-alive, slow senders, caps).
final class TestConnection {
    let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to `host` (an IPv4 or IPv6 literal); reads give up after `timeout` seconds.
    init(port: UInt16, host: String = "127.0.0.1", timeout: Double = 5) throws {
        let ipv6 = host.contains(":")
        descriptor = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestClientError(description: "socket: errno \(errno)") }
        var seconds = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        let result: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw TestClientError(description: "connect to \(host):\(port): errno \(code)")
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { throw TestClientError(description: "send: errno \(errno)") }
            sent += count
        }
    }

    /// Reads more bytes into the buffer; false at end of stream. Throws on timeout or error.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            throw TestClientError(description: errno == EAGAIN ? "timed out reading" : "recv: errno \(errno)")
        }
        buffer.append(contentsOf: chunk[..<count])
        return count > 0
    }

    private func takeLine() throws -> String {
        while true {
            if let end = buffer.firstRange(of: [13, 10]) {
                let line = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                buffer.removeSubrange(..<end.upperBound)
                return line
            }
            guard try fill() else { throw TestClientError(description: "connection closed mid-line") }
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw TestClientError(description: "connection closed mid-body") }
        }
        defer { buffer.removeSubrange(..<count) }
        return Array(buffer[..<count])
    }

    /// Reads a `100 Continue` status line and its empty header block, and returns the status line.
    func readInterimStatusLine() throws -> String {
        let line = try takeLine()
        while try !takeLine().isEmpty {}
        return line
    }

    /// Reads one response; `head` says the request was HEAD (no body follows whatever Content-Length says).
    func readResponse(head: Bool = false) throws -> TestResponse {
        let statusLine = try takeLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw TestClientError(description: "bad status line: \(statusLine)")
        }
        var headers: [(name: String, value: String)] = []
        while case let line = try takeLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw TestClientError(description: "bad header \(line)") }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((String(line[..<colon]), value))
        }
        var response = TestResponse(status: status, headers: headers, body: [])
        if status == 100 { return try readResponse(head: head) }
        if head || status == 204 || status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                let size = Int(try takeLine().split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 {
                    while try !takeLine().isEmpty {}
                    break
                }
                response.body += try take(size)
                _ = try take(2)
            }
        } else if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            response.body = try take(length)
        } else {
            while try fill() {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    /// Waits for the server to close the connection; true if it did (any bytes it sent first are dropped).
    func waitForClose() -> Bool {
        while true {
            do {
                guard try fill() else { return true }
            } catch {
                return false
            }
        }
    }
}

/// Sends one request on a new connection and reads the answer.
func roundTrip(_ port: UInt16, _ request: String, host: String = "127.0.0.1") throws -> TestResponse {
    let connection = try TestConnection(port: port, host: host)
    try connection.send(request)
    return try connection.readResponse(head: request.hasPrefix("HEAD "))
}

/// A configuration for live tests: ephemeral port, small pool, diagnostics kept out of the test output.
func testConfiguration(_ change: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
    var configuration = ServerConfiguration(port: 0, threadPoolSize: 2, errorLog: { _ in })
    change(&configuration)
    return configuration
}

/// Echoes what the daemon parsed, one "key=value" line each, so tests can check parsing end to end.
@Sendable func echoHandler(_ request: Request) -> Response {
    var lines = [
        "method=\(request.method)", "path=\(request.path)", "remote=\(request.remoteAddress)",
        "tls=\(request.isTLS)"
    ]
    lines += request.queryItems.map { "query:\($0.name)=\($0.value)" }
    lines += request.cookies.sorted { $0.key < $1.key }.map { "cookie:\($0.key)=\($0.value)" }
    lines.append("body=\(String(decoding: request.body, as: UTF8.self))")  // Last: it may hold line breaks.
    return .text(lines.joined(separator: "\n"))
}

/// Polls `condition` until it holds or `timeout` seconds pass (completion callbacks run just after the response).
func eventually(within timeout: Double = 2, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while !condition() {
        guard Date() < deadline else { return false }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return true
}

/// Collects `errorLog` messages from the daemon's threads.
final class LogCollector: @unchecked Sendable {
    // @unchecked: `lines` is only touched under `lock`.
    private let lock = NSLock()
    private var lines: [String] = []

    var messages: [String] { lock.withLock { lines } }

    @Sendable func append(_ message: String) {
        lock.withLock { lines.append(message) }
    }
}
