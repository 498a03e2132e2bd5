import Foundation
import Testing
@testable import GuichetServer

/// `/healthz` and `/api/v1/config` are answered by the daemon itself for a plain GET from an evident host; the
/// answer must be the handler's, byte for byte, headers included (the security headers, `no-store`).
@Suite struct ConstantAnswerTests {
    /// The head without its `Date` line (libmicrohttpd adds the time of sending) and the body.
    private func comparable(_ r: RawResponse) -> (Int, [String], [UInt8]) {
        let lines = r.head.split(separator: "\r\n").map(String.init).filter { !$0.lowercased().hasPrefix("date:") }
        return (r.status, lines, r.body)
    }

    @Test func theDaemonsConstantAnswersAreTheHandlersAnswers() throws {
        let h = try Harness { $0.hostNames = ["guichet.lycee.local"] }
        let daemon = try h.service.start()
        defer { daemon.stop() }
        for path in ["/api/v1/config", "/healthz"] {
            // 127.0.0.1 is evident: the daemon's constant path. A configured name needs the handler's full check.
            let constant = try rawExchange(daemon.port, "GET \(path) HTTP/1.1")
            let handled = try rawExchange(daemon.port, "GET \(path) HTTP/1.1\r\nHost: guichet.lycee.local")
            #expect(constant.status == 200, "\(path)")
            #expect(comparable(constant) == comparable(handled), "\(path)")
            #expect(constant.head.contains("Content-Security-Policy: default-src 'self'"), "\(path)")
            #expect(constant.head.contains("Cache-Control: no-store"), "\(path)")
            // A foreign name still meets the handler's refusal, and a POST its 405.
            #expect(try rawExchange(daemon.port, "GET \(path) HTTP/1.1\r\nHost: evil.example").status == 421)
            #expect(try rawExchange(daemon.port, "POST \(path) HTTP/1.1").status == 405)
        }
    }

    /// The daemon's host check is narrower than the handler's: whatever it accepts, `checkHost` accepts too, so no
    /// name the handler would refuse is answered without it.
    @Test func theEvidentHostCheckAcceptsOnlyWhatCheckHostAccepts() throws {
        let h = try Harness { $0.hostNames = ["guichet.lycee.local"] }
        let accepted = ["127.0.0.1", "127.0.0.1:8080", "192.168.1.20", "LocalHost", "localhost:65535", "10.0.0.1:1"]
        let refused = [
            "evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "1.2.3", "1.2.3.4.5", "1234.1.1.1",
            "1..2.3", "127.0.0.1:", ":80", "localhost:123456", "[::1]", "guichet.lycee.local", "127.0.0.1 ", "1.2.3.4:8a"
        ]
        for host in accepted {
            let bytes = Array(host.utf8)
            #expect(bytes.withUnsafeBytes { GuichetService.isEvidentHost($0) }, "\(host)")
            #expect(throws: Never.self, "\(host)") { try h.service.checkHost(host) }
        }
        for host in refused {
            let bytes = Array(host.utf8)
            #expect(!bytes.withUnsafeBytes { GuichetService.isEvidentHost($0) }, "\(host)")
        }
        #expect(GuichetService.isEvidentHost(nil))
    }
}
