import Foundation
import Guichet

extension GuichetConfiguration {
    /// What the mail sender runs with, or nil when `[mail]` leaves sending off (no host or no sender address).
    /// The password file is read here, so a missing one stops the start with its line.
    func mailSettings() throws(ConfigurationErrors) -> MailSettings? {
        guard let host = mail.host, let from = mail.fromAddress else {
            if mail.host != nil || mail.fromAddress != nil {
                let missing = mail.host == nil ? "host" : "from_address"
                throw ConfigurationErrors(problems: [
                    ConfigurationError(
                        file: source, line: line(of: "mail.\(mail.host == nil ? "from_address" : "host")"),
                        key: "[mail] \(missing)", reason: "missing: [mail] needs both host and from_address to send")
                ])
            }
            return nil
        }
        var password = mail.password
        if let file = mail.passwordFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ConfigurationErrors(problems: [
                    ConfigurationError(
                        file: source, line: line(of: "mail.password_file"), key: "[mail] password_file",
                        reason: "cannot read \(file) (missing, or not readable by this user)")
                ])
            }
            password = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        }
        // A password over a clear connection crosses the network readable by anyone on it: only to a relay on this
        // machine (loopback), where no network is crossed.
        if mail.security == .none, let password, !password.isEmpty,
            !["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased()), !host.hasPrefix("127.")
        {
            throw ConfigurationErrors(problems: [
                ConfigurationError(
                    file: source, line: line(of: "mail.security"), key: "[mail] security",
                    reason:
                        "\"none\" would send the password in clear to \(host); use \"starttls\" or \"tls\" (\"none\" with a password only for a relay on this machine)"
                )
            ])
        }
        var settings = MailSettings(
            host: host, port: mail.effectivePort, security: mail.security, fromAddress: from,
            fromName: mail.fromName, username: mail.username, password: password, replyTo: mail.replyTo)
        settings.maxAttempts = mail.maxAttempts
        settings.retryBaseSeconds = mail.retryMinutes * 60
        return settings
    }
}
