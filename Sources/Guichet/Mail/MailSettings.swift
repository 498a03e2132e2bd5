import Foundation
import Mail

/// How a relay connection is protected: `starttls` (submission, 587), `tls` (SMTPS, 465) or `none` (loopback).
public typealias MailSecurity = SMTPRelay.Security

/// Sending sheets by e-mail: the school's relay (`[mail]`), the sender, and the outbox's retry policy.
public struct MailSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var security: MailSecurity
    public var username: String?
    public var password: String?
    public var fromAddress: String
    /// Any Unicode ("Lycée Jean-Jaurès — Vie scolaire"): RFC 2047-encoded in the header.
    public var fromName: String?
    public var replyTo: String?
    /// A message the relay refuses for now (4xx) or cannot be reached for is tried this many times in all…
    public var maxAttempts = 5
    /// … the n-th retry `retryBaseSeconds × 2^(n−1)` after the previous attempt (1, 2, 4, 8 minutes by default).
    public var retryBaseSeconds: Double = 60
    public var connectTimeoutSeconds = 15
    /// The whole SMTP exchange's bound; a message still `sending` after it (plus a margin) was interrupted.
    public var timeoutSeconds = 60

    public init(
        host: String, port: Int, security: MailSecurity, fromAddress: String, fromName: String? = nil,
        username: String? = nil, password: String? = nil, replyTo: String? = nil
    ) {
        (self.host, self.port, self.security, self.fromAddress, self.fromName) = (host, port, security, fromAddress, fromName)
        (self.username, self.password, self.replyTo) = (username, password, replyTo)
    }

    /// Whether `address` is a plain `local@domain` the relay can be given (the configuration checks its own).
    public static func isPlainAddress(_ address: String) -> Bool { MailAddress(address).isPlain }

    var relay: SMTPRelay {
        SMTPRelay(
            host: host, port: port, security: security, username: username, password: password,
            connectTimeout: connectTimeoutSeconds, timeout: timeoutSeconds)
    }

    /// The delay before attempt `attempts + 1`, after `attempts` failed ones.
    func retryDelay(afterAttempts attempts: Int) -> TimeInterval {
        retryBaseSeconds * pow(2, Double(max(0, attempts - 1)))
    }
}
