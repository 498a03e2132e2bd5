/// The school's SMTP relay, as `[mail]` configures it.
public struct SMTPRelay: Sendable, Equatable {
    /// How the connection is protected.
    public enum Security: String, Sendable, CaseIterable {
        /// Plain connection upgraded with STARTTLS, refused if the relay does not offer it (submission, port 587).
        case starttls
        /// TLS from the first byte (SMTPS, port 465).
        case tls
        /// No TLS at all: only for a relay on the same machine or in tests.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// Seconds to connect, and for the whole exchange: a relay that hangs must not hold the sender forever (the
    /// outbox also relies on this bound to tell an interrupted send from one still in progress).
    public var connectTimeout: Int
    public var timeout: Int

    public init(
        host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
        connectTimeout: Int = 15, timeout: Int = 60
    ) {
        (self.host, self.port, self.security, self.username, self.password) = (host, port, security, username, password)
        (self.connectTimeout, self.timeout) = (connectTimeout, timeout)
    }

    /// `smtp://host:port` or `smtps://…`; an IPv6 literal in brackets.
    var url: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return (security == .tls ? "smtps" : "smtp") + "://\(shown):\(port)"
    }
}
