import Foundation

/// The encodings an ENT export arrives in: the ENT writes UTF-8 with a BOM; a spreadsheet that re-saved the file
/// may have written Windows-1252.
public enum SourceEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    case utf8WithBOM = "UTF-8 (BOM)"
    case windows1252 = "Windows-1252"
}

/// Turns the raw bytes of an export into UTF-8 bytes, deciding the encoding from evidence, never by guessing:
/// - a BOM means UTF-8, and every byte after it must be valid UTF-8;
/// - valid UTF-8 throughout means UTF-8;
/// - otherwise, a file that holds at least one well-formed multi-byte UTF-8 sequence is UTF-8 with bad bytes (rejected,
///   naming the line), and a file that holds none is Windows-1252 (its five undefined bytes are rejected too).
enum TextDecoding {
    static func decode(_ bytes: consuming [UInt8], file: String) throws(ImportError) -> (utf8: [UInt8], encoding: SourceEncoding)
    {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            // In place: the file's bytes are not held twice.
            var body = consume bytes
            body.removeFirst(3)
            if let bad = firstInvalidUTF8(body) {
                throw ImportError(file: file, line: line(of: bad, in: body), problem: .invalidUTF8(byte: body[bad]))
            }
            return (body, .utf8WithBOM)
        }
        guard let bad = firstInvalidUTF8(bytes) else { return (bytes, .utf8) }
        if containsMultiByteUTF8(bytes) {
            throw ImportError(file: file, line: line(of: bad, in: bytes), problem: .invalidUTF8(byte: bytes[bad]))
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for (index, byte) in bytes.enumerated() {
            if byte < 0x80 { out.append(byte); continue }
            guard let scalar = windows1252[Int(byte)] else {
                throw ImportError(file: file, line: line(of: index, in: bytes), problem: .undefinedWindows1252(byte: byte))
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        return (out, .windows1252)
    }

    /// The index of the first byte that does not belong to a well-formed UTF-8 sequence, if any.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var minimum: UInt32
            var value: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; value = UInt32(b & 0x1F); minimum = 0x80
            case 0xE0...0xEF: length = 3; value = UInt32(b & 0x0F); minimum = 0x800
            case 0xF0...0xF4: length = 4; value = UInt32(b & 0x07); minimum = 0x10000
            default: return i
            }
            guard i + length <= n else { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                value = value << 6 | UInt32(c & 0x3F)
            }
            // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
            if value < minimum || (0xD800...0xDFFF).contains(value) || value > 0x10FFFF { return i }
            i += length
        }
        return nil
    }

    private static func containsMultiByteUTF8(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i + 1 < bytes.count {
            let b = bytes[i]
            if (0xC2...0xF4).contains(b) {
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                if i + length <= bytes.count, firstInvalidUTF8(Array(bytes[i..<(i + length)])) == nil { return true }
            }
            i += 1
        }
        return false
    }

    /// 1-based line number of the byte at `offset`.
    static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// Windows-1252: 0x80…0x9F as Microsoft defines them (five undefined), 0xA0…0xFF as Latin-1.
    private static let windows1252: [Unicode.Scalar?] = {
        var table = [Unicode.Scalar?](repeating: nil, count: 256)
        for b in 0xA0...0xFF { table[b] = Unicode.Scalar(UInt8(b)) }
        let high: [UInt32?] = [
            0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
            nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E,
            0x0178
        ]
        for (k, value) in high.enumerated() { table[0x80 + k] = value.flatMap(Unicode.Scalar.init) }
        return table
    }()
}
