#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 listening address, stored as the `sockaddr` libmicrohttpd binds (`MHD_OPTION_SOCK_ADDR`).
struct ListenAddress {
    private var storage = sockaddr_storage()
    let isIPv6: Bool

    /// Throws when `host` is not an IPv4 or IPv6 literal.
    init(host: String, port: UInt16) throws {
        var ipv4 = sockaddr_in()
        var ipv6 = sockaddr_in6()
        if inet_pton(AF_INET, host, &ipv4.sin_addr) == 1 {
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: ipv4, as: sockaddr_in.self) }
            isIPv6 = false
        } else if inet_pton(AF_INET6, host, &ipv6.sin6_addr) == 1 {
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: ipv6, as: sockaddr_in6.self) }
            isIPv6 = true
        } else {
            throw HTTPServerError(
                function: "inet_pton", reason: "bindAddress \"\(host)\" is not an IPv4 or IPv6 address literal")
        }
    }

    /// Lends the address as the `sockaddr *` libmicrohttpd expects; valid only during `body`.
    func withSockaddrPointer<Result>(_ body: (UnsafeMutableRawPointer) throws -> Result) rethrows -> Result {
        var copy = storage
        return try withUnsafeMutableBytes(of: &copy) { try body($0.baseAddress!) }
    }
}

/// The numeric form of a client address ("192.0.2.7", "::1"), or "" when libmicrohttpd gives none.
func numericHost(_ address: UnsafePointer<sockaddr>?) -> String {
    guard let address else { return "" }
    if Int32(address.pointee.sa_family) == AF_INET {
        // By hand: glibc's inet_ntop writes IPv4 through sprintf, 2k instructions of every request (callgrind), and
        // string interpolation still cost 1.7k.
        let ip = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
        return String(unsafeUninitializedCapacity: 15) { text in  // "255.255.255.255" at most
            var count = 0
            for shift: UInt32 in [24, 16, 8, 0] {
                let octet = UInt8(truncatingIfNeeded: ip >> shift)
                if shift != 24 { text[count] = UInt8(ascii: "."); count += 1 }
                if octet >= 100 { text[count] = UInt8(ascii: "0") + octet / 100; count += 1 }
                if octet >= 10 { text[count] = UInt8(ascii: "0") + octet / 10 % 10; count += 1 }
                text[count] = UInt8(ascii: "0") + octet % 10
                count += 1
            }
            return count
        }
    }
    // On the stack: this runs for every request.
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(INET6_ADDRSTRLEN) + 1) { text in
        let converted: UnsafePointer<CChar>? =
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                    var raw = ipv4.pointee.sin_addr
                    return inet_ntop(AF_INET, &raw, text.baseAddress, socklen_t(text.count))
                }
            case AF_INET6:
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                    var raw = ipv6.pointee.sin6_addr
                    return inet_ntop(AF_INET6, &raw, text.baseAddress, socklen_t(text.count))
                }
            default:
                nil
            }
        guard let converted else { return "" }
        return String(cString: converted)
    }
}
