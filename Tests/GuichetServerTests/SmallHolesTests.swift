import Foundation
import Guichet
import Testing
import HTTPServer
@testable import GuichetServer
#if canImport(Glibc)
    import Glibc
#endif

/// Issue 18, item 7: the smaller holes, each closed.
@Suite struct SmallHolesTests {
    @Test func aHostNameThatIsNotOursIsRefusedOnTheLiveService() throws {
        let h = try Harness { $0.hostNames = ["guichet.lycee.local"] }
        let daemon = try h.service.start()
        defer { daemon.stop() }
        // DNS rebinding: the attacker's name, resolved to this PC, arrives as Host.
        let rebound = try rawExchange(daemon.port, "GET /api/v1/config HTTP/1.1\r\nHost: evil.example:\(daemon.port)")
        #expect(rebound.status == 421 && rebound.text.contains("bad-host"))
        let page = try rawExchange(daemon.port, "GET / HTTP/1.1\r\nHost: attacker.example")
        #expect(page.status == 421)
        for host in [
            "127.0.0.1:\(daemon.port)", "localhost:\(daemon.port)", "[::1]:\(daemon.port)", "192.168.1.20",
            "GUICHET.lycee.local:\(daemon.port)"
        ] {
            let r = try rawExchange(daemon.port, "GET /api/v1/config HTTP/1.1\r\nHost: \(host)")
            #expect(r.status == 200, "\(host): \(r.status)")
        }
    }

    @Test func expiredSessionsAreSweptWithoutBeingAskedFor() throws {
        func member(_ name: String) throws -> StaffMember {
            try JSONDecoder().decode(
                StaffMember.self, from: Data(#"{"name":"\#(name)","role":"agent","disabled":false,"createdAt":""}"#.utf8))
        }
        let store = SessionStore(idleSeconds: 60, maximumSeconds: 3600)
        let now = Date()
        for i in 0..<50 {
            _ = store.open(try member("agent\(i)"), now: now)
        }
        _ = store.open(try member("late"), now: now.addingTimeInterval(100))
        #expect(store.count == 51)
        #expect(store.sweep(now: now.addingTimeInterval(120)) == 1)
        // The service sweeps on its own, from any request.
        let h = try Harness { $0.sessionIdleSeconds = 1 }
        _ = try h.signIn()
        #expect(h.service.sessions.count == 1)
        h.service.tidy(now: Date().addingTimeInterval(5))
        #expect(h.service.sessions.count == 0)
    }

    @Test func aClearMailPasswordIsRefusedUnlessTheRelayIsOnThisMachine() throws {
        func settings(_ host: String) throws -> MailSettings? {
            try GuichetConfiguration.parse(
                """
                [mail]
                host = "\(host)"
                security = "none"
                username = "vs"
                password = "s3cret-relay"
                from_address = "vs@lycee.example.org"
                """, file: "g.toml"
            ).serverSettings(kioskRoot: "/tmp").mail
        }
        #expect(throws: ConfigurationErrors.self) { _ = try settings("smtp.ac-example.fr") }
        #expect(try settings("127.0.0.1")?.security == MailSecurity.none)
        #expect(try settings("localhost") != nil)
    }

    @Test func aDeliveryIsShownOnlyToWhoQueuedItAndToReviewers() throws {
        let h = try Harness {
            $0.mail = MailSettings(host: "127.0.0.1", port: 9, security: .none, fromAddress: "vs@lycee.example.org")
        }
        try Staff.add(h.database, name: "other", role: .agent, password: "other-password-1", by: "test")
        let (agent, csrf) = try h.signIn()
        let queued = h.call("POST", "/api/v1/accounts/aissatou.ndiaye/email", json: "{}", cookie: agent, csrf: csrf)
        #expect(queued.status == 202)
        let id = try #require(object(queued)["delivery"] as? Int)
        #expect(h.call("GET", "/api/v1/deliveries/\(id)", cookie: agent).status == 200)
        let (other, _) = try h.signIn("other", "other-password-1")
        let refused = h.call("GET", "/api/v1/deliveries/\(id)", cookie: other)
        #expect(refused.status == 404 && object(refused)["code"] as? String == "delivery-not-found")
        let (cpe, _) = try h.signIn("cpe", Harness.reviewerPassword)
        #expect(h.call("GET", "/api/v1/deliveries/\(id)", cookie: cpe).status == 200)
    }
}
