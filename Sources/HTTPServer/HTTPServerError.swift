#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A runtime failure of the HTTP layer: which call failed, why, and the `errno` when the C library set one.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// The C function or Swift entry point that failed, e.g. `MHD_start_daemon`.
    public let function: String
    /// What went wrong, in words (libmicrohttpd's own message when it gave one).
    public let reason: String
    /// The `errno` observed right after the failing call, when it is meaningful.
    public let errno: Int32?

    public init(function: String, reason: String, errno: Int32? = nil) {
        self.function = function
        self.reason = reason
        self.errno = errno
    }

    public var description: String {
        guard let errno, errno != 0 else { return "\(function): \(reason)" }
        return "\(function): \(reason) (errno \(errno): \(String(cString: strerror(errno))))"
    }
}

/// Writes diagnostics to file descriptor 2; `stderr` the C global is shared mutable state to Swift 6.
enum StandardError {
    static func emit(_ message: String) {
        var bytes = Array(message.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            // Nowhere left to report a failure to write to standard error: drop the message.
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
