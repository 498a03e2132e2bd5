import Foundation
import Testing
import HTTPServer
@testable import GuichetServer
#if canImport(Glibc)
    import Glibc
#endif

/// Issue 18, item 5: connection limits (overall, per address) and a total time for a request's headers, against the
/// live daemon on port 0; the slow clients on 127.0.0.2, the kiosk on 127.0.0.1. Loops are bounded.
@Suite struct SlowConnectionTests {
    /// True when the server has closed `connection` (end of stream or reset), without waiting.
    static func isClosed(_ connection: RawConnection) -> Bool {
        var byte: UInt8 = 0
        let n = recv(connection.descriptor, &byte, 1, Int32(MSG_DONTWAIT))
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// Starts a request on `slow` and drips a header line every 0.25 s (never idle), for 10 s at most: the seconds
    /// until the daemon cut the connection, nil if it never did.
    static func secondsUntilCut(dripping slow: RawConnection) -> Double? {
        let start = Date()
        slow.send(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8))
        for i in 0..<40 {
            if isClosed(slow) || !slow.send(Array("X-Drip-\(i): y\r\n".utf8)) { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return nil
    }

    @Test func aClientDrippingItsHeadersIsCutAtTheHeaderDeadlineThoughNeverIdle() throws {
        let h = try Harness {
            $0.headerTimeoutSeconds = 2; $0.connectionTimeoutSeconds = 30
        }
        let daemon = try h.service.start()
        defer { daemon.stop() }
        let slow = try RawConnection(port: daemon.port, from: "127.0.0.2")
        let after = try #require(
            Self.secondsUntilCut(dripping: slow), "a client sending a header line every 0.25 s was never cut")
        #expect(after >= 1.5 && after < 4, "cut after \(after) s")
        #expect(try rawExchange(daemon.port, "GET /healthz HTTP/1.1", from: "127.0.0.2").status == 200)
    }

    /// The deadline set when a request ends (the idle timeout plus the header limit) holds the next request on a
    /// kept-alive connection to the same rule as the first.
    @Test func theNextRequestOnAKeptAliveConnectionIsCutAtItsHeaderDeadlineToo() throws {
        let h = try Harness {
            $0.headerTimeoutSeconds = 1; $0.connectionTimeoutSeconds = 1
        }
        let daemon = try h.service.start()
        defer { daemon.stop() }
        let slow = try RawConnection(port: daemon.port, from: "127.0.0.2")
        #expect(slow.send(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)))
        Thread.sleep(forTimeInterval: 0.3)
        var byte: UInt8 = 0
        var answered = 0
        while recv(slow.descriptor, &byte, 1, Int32(MSG_DONTWAIT)) == 1 { answered += 1 }
        #expect(answered > 0, "the first request was not answered")
        // Idle 1 s + limit 1 s from the first answer, which left about 0.3 s before the drip starts.
        let after = try #require(Self.secondsUntilCut(dripping: slow), "the next request's headers, dripped, were never cut")
        #expect(after >= 1.2 && after < 4, "cut after \(after) s")
    }

    @Test func theKioskIsServedWhileAThousandSlowConnectionsAreOpenFromAnotherAddress() throws {
        let h = try Harness {
            $0.perAddressConnectionLimit = 32; $0.connectionLimit = 256
        }
        let daemon = try h.service.start()
        defer { daemon.stop() }
        var slow: [RawConnection] = []
        for _ in 0..<1000 {
            guard let c = try? RawConnection(port: daemon.port, timeout: 1, from: "127.0.0.2") else { continue }
            c.send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8))
            slow.append(c)
        }
        Thread.sleep(forTimeInterval: 1)
        let open = slow.filter { !Self.isClosed($0) }.count
        #expect(open <= 32, "\(open) slow connections from one address are still open")
        // The desk, meanwhile: sign in and search at once.
        let t0 = Date()
        let signIn = try rawExchange(
            daemon.port, "POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json",
            body: #"{"login":"agent","password":"\#(Harness.agentPassword)"}"#, from: "127.0.0.1")
        #expect(signIn.status == 200)
        let cookie = try #require(signIn.header("set-cookie")?.split(separator: ";").first.map(String.init))
        let search = try rawExchange(daemon.port, "GET /api/v1/accounts?q=zoe HTTP/1.1\r\nCookie: \(cookie)", from: "127.0.0.1")
        #expect(search.status == 200)
        #expect(Date().timeIntervalSince(t0) < 5)
        withExtendedLifetime(slow) {}
    }
}
