extension GuichetService {
    /// A narrower `checkHost` on the raw bytes, for the daemon's constant routes: no Host at all, an IPv4 literal or
    /// `localhost`, each with an optional port. These `checkHost` accepts too; anything else (a configured name, an
    /// IPv6 literal, a foreign name) goes to the handler, whose `checkHost` decides. Reading bytes in place keeps the
    /// constant answers free of allocation.
    static let isEvidentHost: @Sendable (UnsafeRawBufferPointer?) -> Bool = { host in
        guard let host, !host.isEmpty else { return true }
        var name = host[...]
        if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            let port = host[(colon + 1)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(isDigit) else { return false }
            name = host[..<colon]
        }
        return isLocalhost(name) || isIPv4(name)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isLocalhost(_ name: Slice<UnsafeRawBufferPointer>) -> Bool {
        // ASCII letters only, so `| 0x20` lowercases exactly.
        name.count == 9 && zip(name, "localhost".utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// Four dot-separated groups of one to three digits, as `checkHost` reads an IPv4 literal.
    private static func isIPv4(_ name: Slice<UnsafeRawBufferPointer>) -> Bool {
        var groups = 1
        var digits = 0
        for byte in name {
            if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                groups += 1
                digits = 0
            } else {
                guard isDigit(byte) else { return false }
                digits += 1
                guard digits <= 3 else { return false }
            }
        }
        return groups == 4 && digits > 0
    }
}
