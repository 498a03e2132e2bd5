/// Sends messages through an SMTP relay with libcurl. The only entry point of the Mail module that touches C.
public enum SMTPClient {
    /// Hands `message` to `relay`; returns the relay's reply code once it accepted the message (250). Throws a
    /// `MailError` whose `kind` says whether another attempt may succeed.
    public static func send(_ message: MailMessage, via relay: SMTPRelay) throws(MailError) -> Int {
        try SMTPTransfer().send(message, via: relay)
    }
}
