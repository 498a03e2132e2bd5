import Foundation

/// An e-mail address with an optional display name (any Unicode: it is RFC 2047-encoded on the way out).
public struct MailAddress: Sendable, Equatable {
    public var address: String
    public var name: String?

    public init(_ address: String, name: String? = nil) {
        (self.address, self.name) = (address, name)
    }

    /// A plain `local@domain` (RFC 5321 Mailbox, without quoted local parts, comments or source routes): anything
    /// else from the ENT's export is refused rather than passed to the relay, and a line break never reaches a header.
    public var isPlain: Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), address.utf8.count <= 254 else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+-/=?^_`{|}~")
        return parts[0].allSatisfy(allowed.contains)
            && parts[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }
}

/// A file sent with a message.
public struct MailAttachment: Sendable, Equatable {
    /// ASCII, no quotes: "fiche-zoe.gerard.pdf".
    public var fileName: String
    /// "application/pdf".
    public var contentType: String
    public var bytes: [UInt8]

    public init(fileName: String, contentType: String, bytes: [UInt8]) {
        (self.fileName, self.contentType, self.bytes) = (fileName, contentType, bytes)
    }
}

/// One message: multipart/mixed holding multipart/alternative (text/plain, text/html, UTF-8, quoted-printable) and
/// the attachments (base64). libcurl's MIME API writes the structure; `SMTPTransfer` adds the headers below.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var to: MailAddress
    public var replyTo: MailAddress?
    public var subject: String
    public var text: String
    public var html: String
    public var attachments: [MailAttachment]
    /// Without the angle brackets: "6f1c…@lycee.example.org".
    public var messageID: String
    public var date: Date

    public init(
        from: MailAddress, to: MailAddress, replyTo: MailAddress? = nil, subject: String, text: String,
        html: String, attachments: [MailAttachment] = [], messageID: String, date: Date = Date()
    ) {
        (self.from, self.to, self.replyTo, self.subject, self.text, self.html) = (from, to, replyTo, subject, text, html)
        (self.attachments, self.messageID, self.date) = (attachments, messageID, date)
    }

    /// A fresh Message-ID on the sender's domain (RFC 5322 §3.6.4: "globally unique"): a random UUID is.
    public static func newMessageID(from sender: MailAddress) -> String {
        let domain = sender.address.split(separator: "@").last.map(String.init) ?? "guichet.invalid"
        return UUID().uuidString.lowercased() + "@" + domain
    }

    /// The top-level headers, each one line: `Name: value`, non-ASCII text as RFC 2047 encoded words.
    public var headers: [String] {
        var list = [
            "Date: " + HeaderEncoding.date(date),
            "From: " + HeaderEncoding.mailbox(from),
            "To: " + HeaderEncoding.mailbox(to),
            "Subject: " + HeaderEncoding.text(subject),
            "Message-ID: <\(messageID)>"
        ]
        if let replyTo { list.append("Reply-To: " + HeaderEncoding.mailbox(replyTo)) }
        return list
    }
}
