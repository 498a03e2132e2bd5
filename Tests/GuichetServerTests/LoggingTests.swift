import Foundation
import Guichet
import HTTPServer
import Logging
import Testing
@testable import GuichetServer

/// What the service logs (to journald, in production) never holds a password, an activation or a renewal code.
@Suite struct LoggingTests {
    /// Keeps every message and its metadata, from every thread.
    final class Captured: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        var text: String { lock.withLock { lines.joined(separator: "\n") } }
    }

    struct Handler: LogHandler {
        let captured: Captured
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
            file: String, function: String, line: UInt
        ) {
            captured.add("\(level) \(message) \(metadata ?? [:]) \(self.metadata)")
        }
    }

    @Test func signInsCodesAndPrintFailuresLeaveNoSecretInTheLogs() throws {
        let captured = Captured()
        let h = try Harness()
        var settings = ServerSettings(kioskRoot: Harness.kioskRoot)
        settings.printer = "no-such-queue-for-guichet-tests"
        let service = try GuichetService(
            settings: settings, database: h.database,
            logger: Logger(label: "test") { _ in Handler(captured: captured) })
        func call(_ method: String, _ target: String, _ json: String? = nil, cookie: String? = nil, csrf: String? = nil)
            -> Response
        {
            var headers = HTTPHeaders()
            if json != nil { headers.add("Content-Type", "application/json") }
            if let cookie { headers.add("Cookie", "guichet_session=\(cookie)") }
            if let csrf { headers.add("X-CSRF-Token", csrf) }
            return service.respond(to: Request(method: method, target: target, headers: headers, body: Array((json ?? "").utf8))!)
        }
        #expect(call("POST", "/api/v1/session", #"{"login":"agent","password":"wrong-secret-password"}"#).status == 401)
        let signIn = call("POST", "/api/v1/session", #"{"login":"agent","password":"\#(Harness.agentPassword)"}"#)
        let cookie = try #require(
            signIn.headers["set-cookie"]?.split(separator: ";").first?.split(separator: "=").last.map(String.init))
        let csrf = try #require(object(signIn)["csrfToken"] as? String)
        let issued = call("POST", "/api/v1/accounts/zoe.gerard/renewal-code", cookie: cookie, csrf: csrf)
        let code = try #require(object(issued)["code"] as? String)
        let printed = call(
            "POST", "/api/v1/accounts/nathanael.ndiaye/sheet", #"{"idCheck":"cni","recipient":"self"}"#, cookie: cookie,
            csrf: csrf)
        #expect(printed.status == 502)

        let logs = captured.text
        #expect(logs.contains("printing sheet"), "the print failure is logged: \(logs)")
        for secret in ["wrong-secret-password", Harness.agentPassword, code, "p3vt9dkm", "gy6snb4e", csrf, cookie] {
            #expect(!logs.contains(secret), "\(secret) in the logs")
        }
    }
}
