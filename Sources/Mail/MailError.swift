// The one error type of the Mail module.

/// A message libcurl could not hand to the relay, or one the relay refused.
public struct MailError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What the failure means for a retry.
    public enum Kind: String, Sendable {
        /// The relay answered 4xx, or could not be reached: the same message may be tried again later.
        case temporary
        /// The relay answered 5xx (the address does not exist, the sender is refused…), or the message itself is
        /// unsendable (a malformed address): trying again would fail the same way.
        case permanent
    }

    public let kind: Kind
    /// The C function that failed, or the check that refused the input.
    public let function: String
    /// libcurl's CURLcode, nil when our own check refused the message.
    public let curlCode: Int32?
    /// The relay's last SMTP reply code (550, 451…), nil when it never answered.
    public let smtpCode: Int?
    /// libcurl's message (its error buffer, else curl_easy_strerror), or our check's.
    public let message: String

    public init(kind: Kind, function: String, curlCode: Int32? = nil, smtpCode: Int? = nil, message: String) {
        (self.kind, self.function, self.curlCode, self.smtpCode, self.message) = (kind, function, curlCode, smtpCode, message)
    }

    /// "SMTP 550: RCPT failed: 550 (curl_easy_perform [55])": the reply first, what the desk and the CSV show.
    public var description: String {
        let reply = smtpCode.map { "SMTP \($0): " } ?? ""
        let code = curlCode.map { " [\($0)]" } ?? ""
        return "\(reply)\(message) (\(function)\(code))"
    }

    /// A message refused before any connection (an unusable address, a sheet that could not be rendered).
    public static func refused(_ message: String) -> MailError {
        MailError(kind: .permanent, function: "check", message: message)
    }
}
