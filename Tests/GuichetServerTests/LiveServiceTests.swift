import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Testing
import HTTPServer
@testable import GuichetServer

/// The service on a real libmicrohttpd daemon on port 0, through real sockets.
@Suite struct LiveServiceTests {
    /// A blocking HTTP call with URLSession; cookies are handled by hand, as the tests need to see them.
    static func send(
        _ method: String, port: UInt16, _ path: String, body: [UInt8]? = nil,
        headers: [String: String] = [:]
    ) throws -> (status: Int, headers: [String: String], body: Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        request.timeoutInterval = 20
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if let body { request.httpBody = Data(body) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<(Int, [String: String], Data), Error> = .failure(
            HarnessError(description: "no answer"))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        let session = URLSession(configuration: configuration)
        session.dataTask(with: request) { data, response, error in
            if let error {
                outcome = .failure(error)
            } else if let http = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (k, v) in http.allHeaderFields { fields[String(describing: k).lowercased()] = String(describing: v) }
                outcome = .success((http.statusCode, fields, data ?? Data()))
            }
            done.signal()
        }.resume()
        done.wait()
        session.finishTasksAndInvalidate()
        let (status, fields, data) = try outcome.get()
        return (status, fields, data)
    }

    @Test func signInSearchAndCardOverARealSocket() throws {
        let h = try Harness()
        let daemon = try h.service.start()
        defer { daemon.stop() }
        let signIn = try Self.send(
            "POST", port: daemon.port, "/api/v1/session",
            body: Array(#"{"login":"agent","password":"agent-password-1"}"#.utf8),
            headers: ["Content-Type": "application/json"])
        #expect(signIn.status == 200)
        let cookie = try #require(signIn.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        let search = try Self.send("GET", port: daemon.port, "/api/v1/accounts?q=n%27diaye", headers: ["Cookie": cookie])
        #expect(search.status == 200)
        #expect(String(decoding: search.body, as: UTF8.self).contains("nathanael.ndiaye"))
        let card = try Self.send("GET", port: daemon.port, "/api/v1/accounts/aissatou.ndiaye", headers: ["Cookie": cookie])
        #expect(card.status == 200)
    }

    @Test func aBodyOverTheCapIs413InTheAPIErrorFormat() throws {
        let h = try Harness { $0.maxBodyBytes = 1024 }
        let daemon = try h.service.start()
        defer { daemon.stop() }
        let r = try Self.send(
            "POST", port: daemon.port, "/api/v1/session", body: Array(repeating: 0x61, count: 4096),
            headers: ["Content-Type": "application/json"])
        #expect(r.status == 413)
        #expect(String(decoding: r.body, as: UTF8.self).contains("\"code\":\"body-too-large\""))
    }

    @Test func fiftyConcurrentClientsEachGetTheirOwnAnswer() throws {
        let h = try Harness { $0.threads = 4 }
        let daemon = try h.service.start()
        defer { daemon.stop() }
        let (cookie, _) = try h.signIn()
        let queries = ["nathanael", "zoe", "aissatou", "gerard", "ndiaye"]
        let expected = ["nathanael.ndiaye", "zoe.gerard", "aissatou.ndiaye", "zoe.gerard", "aissatou.ndiaye"]
        let lock = NSLock()
        nonisolated(unsafe) var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 50) { i in
            let q = queries[i % queries.count]
            do {
                let r = try Self.send(
                    "GET", port: daemon.port, "/api/v1/accounts?q=\(q)", headers: ["Cookie": "guichet_session=\(cookie)"])
                let text = String(decoding: r.body, as: UTF8.self)
                if r.status != 200 || !text.contains(expected[i % expected.count]) {
                    lock.withLock { failures.append("\(q): \(r.status) \(text.prefix(80))") }
                }
            } catch {
                lock.withLock { failures.append("\(q): \(error)") }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        // Every search was journalled, once.
        #expect(try h.journalActions().filter { $0 == "search" }.count == 50)
    }
}
