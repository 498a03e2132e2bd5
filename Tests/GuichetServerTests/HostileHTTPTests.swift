import Foundation
import Guichet
import GRDB
import Testing
import HTTPServer
@testable import GuichetServer

/// Hostile clients against the live daemon (libmicrohttpd on port 0, raw sockets): each attack is refused with a
/// clean 4xx (or the connection is closed), the daemon keeps serving, and nothing changes in the database but the
/// journal rows of what was refused. README, "Hostile input", lists each attack and its test.
@Suite struct HostileHTTPTests {
    /// A live service, signed in as the agent over a socket.
    final class Live: @unchecked Sendable {  // immutable after init
        let h: Harness
        let daemon: HTTPDaemon
        let cookie: String
        let csrf: String
        var port: UInt16 { daemon.port }

        init(configure: (inout ServerSettings) -> Void = { _ in }) throws {
            h = try Harness(configure: configure)
            daemon = try h.service.start()
            let signIn = try rawExchange(
                daemon.port, "POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json",
                body: #"{"login":"agent","password":"\#(Harness.agentPassword)"}"#)
            guard signIn.status == 200, let set = signIn.header("set-cookie"),
                let token = set.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last,
                let csrf = Self.json(signIn)["csrfToken"] as? String
            else {
                daemon.stop()
                throw HarnessError(description: "sign-in failed: \(signIn.status) \(signIn.text)")
            }
            cookie = String(token)
            self.csrf = csrf
        }

        deinit { daemon.stop() }

        /// The daemon still answers an ordinary request.
        func healthy() throws -> Bool { try rawExchange(port, "GET /healthz HTTP/1.1").status == 200 }

        static func json(_ r: RawResponse) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
        }

        func object(_ r: RawResponse) -> [String: Any] { Self.json(r) }

        func verifiedJournal() throws -> JournalVerification {
            try h.database.writer.read { db in try Journal.verify(db) }
        }

        func accountsDigest() throws -> [String] {
            try h.database.writer.read { db in
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT login || ':' || ifnull(activation_code, '') || ':' || ifnull(gone_since, '') FROM account ORDER BY id"
                )
                    + String.fetchAll(db, sql: "SELECT name FROM sqlite_master ORDER BY name")
            }
        }
    }

    // MARK: - Size

    @Test func oversizedBodiesAre413AndTheDaemonKeepsServing() throws {
        let live = try Live { $0.maxBodyBytes = 4096 }
        // Declared too large: refused on the headers, before a byte of body is read.
        let declared = try rawExchange(
            live.port, Array("POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 104857600".utf8))
        #expect(declared.status == 413)
        // Chunked, with no length: cut off once past the cap.
        let connection = try RawConnection(port: live.port)
        var chunked = Array(
            "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .utf8)
        for _ in 0..<64 { chunked += Array("1000\r\n".utf8) + Array(repeating: 0x61, count: 4096) + Array("\r\n".utf8) }
        chunked += Array("0\r\n\r\n".utf8)
        connection.send(chunked)
        let answer = String(decoding: connection.readToEnd(), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 413") && answer.contains("body-too-large"))
        #expect(try live.healthy())
    }

    @Test func oversizedHeadersAndTargetsAreRefused() throws {
        let live = try Live()
        let header = try rawExchange(live.port, "GET /healthz HTTP/1.1\r\nX-Padding: " + String(repeating: "a", count: 64 * 1024))
        #expect([413, 431].contains(header.status) || header.status == 0, "\(header.status)")
        let target = try rawExchange(
            live.port, "GET /api/v1/accounts?q=" + String(repeating: "a", count: 64 * 1024) + " HTTP/1.1")
        #expect([413, 414, 431].contains(target.status) || target.status == 0, "\(target.status)")
        let manyHeaders = try rawExchange(live.port, "GET /healthz HTTP/1.1" + String(repeating: "\r\nX-A: b", count: 5000))
        #expect([413, 431].contains(manyHeaders.status) || manyHeaders.status == 0, "\(manyHeaders.status)")
        // Under the cap but past what a search accepts: the handler's own limit.
        let query = try rawExchange(
            live.port,
            "GET /api/v1/accounts?q=" + String(repeating: "a", count: 201) + " HTTP/1.1\r\nCookie: guichet_session=\(live.cookie)"
        )
        #expect(query.status == 400 && query.text.contains("query-too-long"))
        #expect(try live.healthy())
    }

    // MARK: - Slow clients

    @Test func slowClientsAreCutOffAfterTheConnectionTimeoutWithoutStallingOthers() throws {
        let live = try Live {
            $0.connectionTimeoutSeconds = 1; $0.threads = 2
        }
        // Forty clients that send half a request line and headers, then nothing (slowloris).
        let slow = try (0..<40).map { _ in try RawConnection(port: live.port) }
        for (i, c) in slow.enumerated() { c.send(Array("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow-\(i): ".utf8)) }
        let started = Date()
        #expect(try live.healthy())
        #expect(Date().timeIntervalSince(started) < 1, "an ordinary request waited behind the slow clients")
        // Each slow connection is closed by the server after its idle second (with slack for a loaded machine).
        for c in slow { #expect(c.closedByServer(within: 5)) }
        // A client that stops halfway through its body is cut off too, and nothing was acted upon.
        let body = try RawConnection(port: live.port)
        body.send(
            Array(
                "POST /api/v1/accounts/zoe.gerard/sheet HTTP/1.1\r\nHost: x\r\nCookie: guichet_session=\(live.cookie)\r\nX-CSRF-Token: \(live.csrf)\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"idCheck\":"
                    .utf8))
        #expect(body.closedByServer(within: 5))
        #expect(try !live.h.journalActions().contains("sheet-printed"))
        #expect(try live.healthy())
    }

    // MARK: - Encoding

    @Test func invalidUTF8IsRefusedWhereverItIsSent() throws {
        let live = try Live()
        let session = "\r\nCookie: guichet_session=\(live.cookie)"
        // In the target, escaped or raw: 400 before any handler runs.
        for target in ["/api/v1/accounts?q=%FF", "/api/v1/accounts?q=%C3%28", "/api/v1/accounts/%ED%A0%80", "/%C0%AF"] {
            let r = try rawExchange(live.port, "GET \(target) HTTP/1.1" + session)
            #expect(r.status == 400 && r.text.contains("bad-request"), "\(target): \(r.status)")
        }
        let rawByte = try rawExchange(
            live.port,
            Array("GET /api/v1/accounts?q=\u{FF} HTTP/1.1".utf8.map { $0 == 0xC3 ? 0xFF : $0 }.filter { $0 != 0xBF })
                + Array(session.utf8))
        #expect(rawByte.status == 400 || rawByte.status == 0, "\(rawByte.status)")
        // In a JSON body: 400 bad-json.
        let body = try rawExchange(
            live.port, Array("POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json".utf8),
            body: Array(#"{"login":"agent","password":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8))
        #expect(body.status == 400 && body.text.contains("bad-json"))
        // In a cookie or the CSRF header: not signed in, or refused; never a crash.
        let cookie = try rawExchange(
            live.port, Array("GET /api/v1/session HTTP/1.1\r\nCookie: guichet_session=".utf8) + [0xFF, 0xC3])
        #expect(cookie.status == 401)
        let csrf = try rawExchange(
            live.port,
            Array(
                "POST /api/v1/accounts/zoe.gerard/sheet HTTP/1.1\r\nContent-Type: application/json\(session)\r\nX-CSRF-Token: "
                    .utf8) + [0xFF],
            body: Array(#"{"idCheck":"cni","recipient":"self"}"#.utf8))
        #expect(csrf.status == 403 && csrf.text.contains("csrf-mismatch"))
        #expect(try live.healthy())
    }

    // MARK: - Static files

    @Test func pathTraversalNeverLeavesTheKioskFolder() throws {
        let live = try Live()
        let targets = [
            "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/css/..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "//etc/passwd", "/%2Fetc%2Fpasswd", "/..%5c..%5cetc%5cpasswd",
            "/.git/config", "/./index.html", "/index.html%00.js", "/%C0%AE%C0%AE/etc/passwd",
            "/%CC%8A/../../etc/passwd", "/api/../../etc/passwd", "/..;/etc/passwd"
        ]
        for target in targets {
            let r = try rawExchange(live.port, "GET \(target) HTTP/1.1")
            #expect([400, 404].contains(r.status), "\(target): \(r.status)")
            #expect(!r.text.contains("root:"), "\(target) served /etc/passwd")
        }
        #expect(try rawExchange(live.port, "GET /index.html HTTP/1.1").status == 200)
    }

    // MARK: - Metacharacters

    static let metacharacters = [
        "'", "\"", "' OR '1'='1", "1; DROP TABLE account; --", "%", "_", "*", "\\", "NEAR(a b)",
        "a AND b OR NOT c", "^zoe", "zoe*", "\"zoe\"", "col:zoe", "(", ")", "-zoe", "+zoe", "{",
        "\u{1}", "\u{0}", "\u{10FFFF}", "\u{FEFF}", "\u{30A}", "'; SELECT load_extension('x'); --",
        String(repeating: "%_", count: 100)
    ]

    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    @Test func sqlAndFTSMetacharactersInEveryParameterChangeNothing() throws {
        let live = try Live()
        let reviewer = try Live.reviewerCookie(live)
        let before = try live.accountsDigest()
        var statuses: [String] = []
        for text in Self.metacharacters {
            let v = Self.escaped(text)
            let gets = [
                "/api/v1/accounts?q=\(v)", "/api/v1/accounts?q=zoe&profile=\(v)", "/api/v1/accounts?q=zoe&class=\(v)",
                "/api/v1/accounts?q=\(v)&class=\(v)&activated=\(v)", "/api/v1/accounts?q=a&hasEmail=\(v)&gone=\(v)",
                "/api/v1/accounts?q=a&limit=\(v)", "/api/v1/accounts/\(v)", "/api/v1/accounts/zoe.gerard?reveal=\(v)",
                "/api/v1/accounts/\(v)?reveal=code"
            ]
            for path in gets {
                let r = try rawExchange(live.port, "GET \(path) HTTP/1.1\r\nCookie: guichet_session=\(live.cookie)")
                statuses.append("\(r.status) GET \(path)")
            }
            for path in ["/api/v1/journal?day=\(v)", "/api/v1/journal?staff=\(v)&action=\(v)", "/api/v1/journal/report?day=\(v)"]
            {
                let r = try rawExchange(live.port, "GET \(path) HTTP/1.1\r\nCookie: guichet_session=\(reviewer.cookie)")
                statuses.append("\(r.status) GET \(path)")
            }
            let json = try JSONSerialization.data(withJSONObject: [
                "idCheck": text, "recipient": text, "code": text, "login": text, "day": text
            ])
            let posts: [(String, Live.Who)] = [
                ("/api/v1/accounts/\(v)/sheet", .agent), ("/api/v1/accounts/zoe.gerard/sheet", .agent),
                ("/api/v1/accounts/\(v)/renewal-code", .agent), ("/api/v1/accounts/\(v)/renewal-slip", .agent),
                ("/api/v1/session", .nobody), ("/api/v1/journal/signoff", .reviewer)
            ]
            for (path, who) in posts {
                let (cookie, csrf) = who == .reviewer ? reviewer : who == .agent ? (live.cookie, live.csrf) : ("", "")
                let r = try rawExchange(
                    live.port,
                    Array(
                        "POST \(path) HTTP/1.1\r\nContent-Type: application/json\r\nCookie: guichet_session=\(cookie)\r\nX-CSRF-Token: \(csrf)"
                            .utf8),
                    body: Array(json))
                statuses.append("\(r.status) POST \(path)")
            }
            let batch = try JSONSerialization.data(withJSONObject: [
                "filters": ["classes": [text], "levels": [text], "profiles": [text], "createdAfter": text], "sort": [text]
            ])
            for path in ["/api/v1/batches/preview", "/api/v1/batches"] {
                let r = try rawExchange(
                    live.port,
                    Array(
                        "POST \(path) HTTP/1.1\r\nContent-Type: application/json\r\nCookie: guichet_session=\(reviewer.cookie)\r\nX-CSRF-Token: \(reviewer.csrf)"
                            .utf8), body: Array(batch))
                statuses.append("\(r.status) POST \(path)")
            }
        }
        let failed = statuses.filter { !($0.hasPrefix("2") || $0.hasPrefix("4")) }
        #expect(failed.isEmpty, "\(failed.prefix(10))")
        #expect(try live.accountsDigest() == before)
        #expect(try live.verifiedJournal().count > 0)
        #expect(try live.healthy())
    }

    // MARK: - Cross-origin requests and sessions

    @Test func crossOriginPostsAreRefused() throws {
        let live = try Live()
        let session = "\r\nCookie: guichet_session=\(live.cookie)\r\nOrigin: https://evil.example"
        let sheet = #"{"idCheck":"cni","recipient":"self"}"#
        // What a cross-origin page can send without a preflight: a simple content type, and no custom header.
        for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
            let r = try rawExchange(
                live.port, "POST /api/v1/accounts/zoe.gerard/sheet HTTP/1.1\r\nContent-Type: \(type)" + session, body: sheet)
            #expect(r.status == 403 && r.text.contains("csrf-mismatch"), "\(type): \(r.status)")
            let signIn = try rawExchange(
                live.port, "POST /api/v1/session HTTP/1.1\r\nContent-Type: \(type)\r\nOrigin: https://evil.example",
                body: #"{"login":"agent","password":"\#(Harness.agentPassword)"}"#)
            #expect(signIn.status == 415 && signIn.header("set-cookie") == nil, "\(type): \(signIn.status)")
        }
        // JSON needs a preflight, which is never granted: no CORS header on any answer.
        let preflight = try rawExchange(
            live.port,
            "OPTIONS /api/v1/accounts/zoe.gerard/sheet HTTP/1.1\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: POST"
        )
        #expect(preflight.status >= 400 && preflight.header("access-control-allow-origin") == nil)
        let json = try rawExchange(
            live.port, "POST /api/v1/accounts/zoe.gerard/sheet HTTP/1.1\r\nContent-Type: application/json" + session, body: sheet)
        #expect(json.status == 403 && json.header("access-control-allow-origin") == nil)
        #expect(try !live.h.journalActions().contains("sheet-printed"))
    }

    @Test func aSessionIdChosenByTheClientIsNeverAdopted() throws {
        let live = try Live()
        let fixed = "attacker-chosen-session-id"
        let signIn = try rawExchange(
            live.port, "POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json\r\nCookie: guichet_session=\(fixed)",
            body: #"{"login":"agent","password":"\#(Harness.agentPassword)"}"#)
        #expect(signIn.status == 200)
        let issued = try #require(signIn.header("set-cookie"))
        #expect(!issued.contains(fixed) && issued.contains("HttpOnly") && issued.contains("SameSite=Strict"))
        #expect(try rawExchange(live.port, "GET /api/v1/session HTTP/1.1\r\nCookie: guichet_session=\(fixed)").status == 401)
        // Forged ids of every shape: unknown, empty, huge, repeated cookies where the forged one comes first.
        for forged in ["", "0", String(repeating: "A", count: 4000), "\(live.cookie)x", live.cookie.uppercased()] {
            let r = try rawExchange(live.port, "GET /api/v1/accounts?q=zoe HTTP/1.1\r\nCookie: guichet_session=\(forged)")
            #expect(r.status == 401, "\(forged.prefix(20)): \(r.status)")
        }
        let first = try rawExchange(
            live.port, "GET /api/v1/accounts?q=zoe HTTP/1.1\r\nCookie: guichet_session=\(fixed); guichet_session=\(live.cookie)")
        #expect(first.status == 401)
    }

    @Test func aCookieReplayedAfterSignOutIsRefused() throws {
        let live = try Live()
        let cookie = "\r\nCookie: guichet_session=\(live.cookie)"
        #expect(try rawExchange(live.port, "GET /api/v1/accounts?q=zoe HTTP/1.1" + cookie).status == 200)
        let out = try rawExchange(live.port, "DELETE /api/v1/session HTTP/1.1\r\nX-CSRF-Token: \(live.csrf)" + cookie)
        #expect(out.status == 204 && (out.header("set-cookie") ?? "").contains("Max-Age=0"))
        #expect(try rawExchange(live.port, "GET /api/v1/accounts?q=zoe HTTP/1.1" + cookie).status == 401)
        #expect(try rawExchange(live.port, "GET /api/v1/session HTTP/1.1" + cookie).status == 401)
        let sheet = try rawExchange(
            live.port,
            "POST /api/v1/accounts/zoe.gerard/sheet HTTP/1.1\r\nContent-Type: application/json\r\nX-CSRF-Token: \(live.csrf)"
                + cookie,
            body: #"{"idCheck":"cni","recipient":"self"}"#)
        #expect(sheet.status == 401)
        #expect(
            try rawExchange(live.port, "DELETE /api/v1/session HTTP/1.1\r\nX-CSRF-Token: \(live.csrf)" + cookie).status == 401)
        #expect(try live.h.journalActions().filter { $0 == "sign-out" }.count == 1)
    }

    // MARK: - Redeem storm

    @Test func aRedeemStormAgainstOneAccountVoidsItsCodeAndNothingElse() throws {
        let live = try Live { $0.threads = 4 }
        let key = try APIKeys.create(live.h.database, name: "ent", by: "test")
        let issued = try rawExchange(
            live.port,
            "POST /api/v1/accounts/zoe.gerard/renewal-code HTTP/1.1\r\nCookie: guichet_session=\(live.cookie)\r\nX-CSRF-Token: \(live.csrf)"
        )
        let code = try #require(live.object(issued)["code"] as? String)
        let wrong = code == "aaaaaaaa" ? "bbbbbbbb" : "aaaaaaaa"
        let lock = NSLock()
        nonisolated(unsafe) var answers: [String] = []
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            let answer: String
            do {
                let r = try rawExchange(
                    live.port,
                    "POST /api/v1/renewal-codes/redeem HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer \(key)",
                    body: #"{"login":"zoe.gerard","code":"\#(wrong)\#(i % 10)"}"#)
                answer = "\(r.status) \(live.object(r)["code"] as? String ?? "?")"
            } catch {
                answer = "error \(error)"
            }
            lock.withLock { answers.append(answer) }
        }
        #expect(answers.allSatisfy { $0 == "403 renewal-code-wrong" }, "\(Set(answers))")
        // The right code, now: the storm voided it.
        let late = try rawExchange(
            live.port,
            "POST /api/v1/renewal-codes/redeem HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer \(key)",
            body: #"{"login":"zoe.gerard","code":"\#(code)"}"#)
        #expect(late.status == 403 && live.object(late)["code"] as? String == "renewal-code-voided")
        let actions = try live.h.journalActions()
        #expect(actions.filter { $0 == "renewal-voided" }.count == 1)
        #expect(actions.filter { $0 == "renewal-refused" }.count == 201)
        #expect(!actions.contains("renewal-redeemed"))
        #expect(try live.verifiedJournal().count == actions.count)
        // Another account's code is untouched by the storm.
        #expect(try live.healthy())
    }
}

extension HostileHTTPTests.Live {
    enum Who { case nobody, agent, reviewer }

    /// Signs the reviewer in over the socket.
    static func reviewerCookie(_ live: HostileHTTPTests.Live) throws -> (cookie: String, csrf: String) {
        let r = try rawExchange(
            live.port, "POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json",
            body: #"{"login":"cpe","password":"\#(Harness.reviewerPassword)"}"#)
        guard let set = r.header("set-cookie"),
            let token = set.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last,
            let csrf = live.object(r)["csrfToken"] as? String
        else { throw HarnessError(description: "reviewer sign-in failed: \(r.status)") }
        return (String(token), csrf)
    }
}
