/// JSON arrays of strings, written by hand for the million-row import: `JSONEncoder` costs microseconds per call,
/// and these columns are compared as text to detect changes. SQLite's json functions read them back. Also the one
/// JSON string writer of the hot answers (a search's page, its journal row), byte for byte what `JSONEncoder` writes
/// for a text without control characters.
public enum JSONText {
    /// Appends `text` as a JSON string (quotes and backslashes escaped) and returns true; returns false, leaving
    /// nothing to trust in `out`, when `text` holds a control character (`JSONEncoder`'s escapes for those are left
    /// to it). A text with nothing to escape (nearly every name) is copied from its UTF-8 storage at once.
    public static func appendString(_ text: String, to out: inout [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            out.append(UInt8(ascii: "\""))
            guard !isPlain(bytes) else {
                out.append(contentsOf: bytes)
                out.append(UInt8(ascii: "\""))
                return true
            }
            for byte in bytes {
                switch byte {
                case ..<0x20: return false
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(byte)
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
            return true
        }
    }

    /// Whether a text's bytes go into a JSON string as they are: no quote, no backslash, no control character.
    private static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
    }

    static func array(_ values: [String]) -> String {
        if values.isEmpty { return "[]" }
        if let plain = plainArray(values) { return plain }
        // Byte by byte: every byte that needs escaping is ASCII, and a million rows' lists are built here.
        var out: [UInt8] = []
        out.reserveCapacity(values.reduce(2) { $0 + $1.utf8.count + 3 })
        out.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
                case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case ..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `array(values)` when no value holds a byte to escape (a quote, a backslash, a control character): the values
    /// copied whole into the string's own storage. Byte by byte into an array, then decoded again, these lists were
    /// 0.75 s of CPU at a million rows (seven per account; `perf`, 2 December).
    private static func plainArray(_ values: [String]) -> String? {
        var length = 1
        for var value in values {
            guard value.withUTF8(isPlain) else { return nil }
            length += value.utf8.count + 3
        }
        return String(unsafeUninitializedCapacity: length) { out in
            var at = 0
            func put(_ byte: UInt8) { out[at] = byte; at += 1 }
            put(UInt8(ascii: "["))
            for (i, var value) in values.enumerated() {
                if i > 0 { put(UInt8(ascii: ",")) }
                put(UInt8(ascii: "\""))
                value.withUTF8 { bytes in
                    if let base = bytes.baseAddress { (out.baseAddress! + at).update(from: base, count: bytes.count) }
                    at += bytes.count
                }
                put(UInt8(ascii: "\""))
            }
            put(UInt8(ascii: "]"))
            return at
        }
    }
}
