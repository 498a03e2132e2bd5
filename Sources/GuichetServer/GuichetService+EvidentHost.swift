extension GuichetService {
    /// A narrower `checkHost` on the raw bytes, for the daemon's constant routes: no Host at all, an IPv4 literal or
    /// `localhost`, each with an optional port. These `checkHost` accepts too; anything else (a configured name, an
    /// IPv6 literal, a foreign name) goes to the handler, whose `checkHost` decides. Read in place with plain index
    /// loops: slices and `zip` cost more than the rest of the constant answer (callgrind).
    static let isEvidentHost: @Sendable (UnsafeRawBufferPointer?) -> Bool = { host in
        guard let host, host.count > 0 else { return true }
        var end = host.count
        var index = host.count - 1
        while index > 0, isDigit(host[index]) { index -= 1 }
        if host[index] == UInt8(ascii: ":") {
            let portDigits = host.count - index - 1
            guard portDigits >= 1, portDigits <= 5 else { return false }
            end = index
        }
        return isIPv4(host, end) || isLocalhost(host, end)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private static func isLocalhost(_ host: UnsafeRawBufferPointer, _ end: Int) -> Bool {
        guard end == 9 else { return false }
        let expected: StaticString = "localhost"
        // ASCII letters only, so `| 0x20` lowercases exactly.
        for index in 0..<9 where host[index] | 0x20 != expected.utf8Start[index] { return false }
        return true
    }

    /// Four dot-separated groups of one to three digits, as `checkHost` reads an IPv4 literal.
    private static func isIPv4(_ host: UnsafeRawBufferPointer, _ end: Int) -> Bool {
        var groups = 1
        var digits = 0
        for index in 0..<end {
            let byte = host[index]
            if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                groups += 1
                digits = 0
            } else {
                guard isDigit(byte), digits < 3 else { return false }
                digits += 1
            }
        }
        return groups == 4 && digits > 0
    }
}
