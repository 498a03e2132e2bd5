#if canImport(Glibc)
    import Glibc
#endif
import Testing
@testable import HTTPServer

/// The client address is formatted by hand for IPv4 (every request does it): it must say what inet_ntop says.
@Suite struct SocketAddressTests {
    @Test func ipv4AddressesAreWrittenAsInetNtopWritesThem() {
        for text in ["0.0.0.0", "127.0.0.1", "10.20.3.4", "192.0.2.7", "255.255.255.255", "1.10.100.199"] {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            #expect(inet_pton(AF_INET, text, &address.sin_addr) == 1)
            let written = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { numericHost($0) }
            }
            #expect(written == text)
        }
    }
}
