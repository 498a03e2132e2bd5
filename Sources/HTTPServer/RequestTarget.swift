/// The request target (`/path?query`) as sent on the request line, decoded.
///
/// Decision: a target whose path or query does not decode to valid UTF-8, has a malformed `%` escape, or whose
/// path decodes to a NUL byte is refused (the daemon answers 400) rather than repaired with U+FFFD: a name
/// that silently changed would be worse than an error the client can see.
struct RequestTarget: Equatable {
    var path: String
    var queryItems: [QueryItem]

    struct QueryItem: Equatable {
        var name: String
        var value: String
    }

    /// Parses origin-form (RFC 9112 §3.2.1): a path starting with "/", then an optional "?query".
    /// Returns nil when the target is not acceptable (see the type's comment).
    init?<Bytes: Collection<UInt8>>(_ target: Bytes) {
        let bytes = Array(target)
        guard bytes.first == UInt8(ascii: "/") else { return nil }
        let questionMark = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.endIndex
        guard let path = Self.percentDecoded(bytes[..<questionMark], plusAsSpace: false),
            !path.utf8.contains(0)
        else { return nil }
        var items: [QueryItem] = []
        if questionMark < bytes.endIndex {
            // application/x-www-form-urlencoded: "&"-separated "name=value" pairs, "+" for space.
            for pair in bytes[(questionMark + 1)...].split(separator: UInt8(ascii: "&")) {
                let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
                guard let name = Self.percentDecoded(pair[..<equals], plusAsSpace: true),
                    let value = Self.percentDecoded(pair[equals...].dropFirst(), plusAsSpace: true)
                else { return nil }
                items.append(QueryItem(name: name, value: value))
            }
        }
        self.path = path
        self.queryItems = items
    }

    /// Decodes `%HH` escapes (and "+" when asked); nil on a malformed escape or invalid UTF-8.
    static func percentDecoded(_ bytes: ArraySlice<UInt8>, plusAsSpace: Bool) -> String? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                    let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else { return nil }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
