import Foundation

/// Header values as RFC 5322 wants them: ASCII only, non-ASCII text as RFC 2047 encoded words, dates in its format.
/// Written here because libcurl encodes bodies (its MIME encoders) but passes the headers it is given as they are.
enum HeaderEncoding {
    /// Unstructured text (a Subject): as is when it is printable ASCII, else `=?UTF-8?B?…?=` words.
    static func text(_ value: String) -> String {
        let clean = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return clean }
        return encodedWords(clean)
    }

    /// `Name <address>`, the name encoded when not plain ASCII letters; the bare address when there is no name.
    static func mailbox(_ mailbox: MailAddress) -> String {
        guard let name = mailbox.name, !name.isEmpty else { return mailbox.address }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&'*+-/=?^_`{|}~")
        let shown = name.allSatisfy(atext.contains) ? name : encodedWords(name)
        return "\(shown) <\(mailbox.address)>"
    }

    /// RFC 2047 §2: an encoded word is at most 75 characters, so the text is cut into chunks of whole characters
    /// (never inside a UTF-8 sequence, §5 (3)) of at most 45 bytes (60 base64 characters + 12 of wrapping), joined by
    /// a space that decoders drop between adjacent encoded words (§6.2). No line fold: libcurl sends each header
    /// as one line, and our names and subjects stay far below RFC 5322's 998-character limit.
    static func encodedWords(_ value: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in value {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: " ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// RFC 5322 §3.3: "Fri, 21 Nov 2026 08:30:00 +0000", in UTC with English names whatever the locale.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
