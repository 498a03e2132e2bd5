import Foundation
import GRDB
import Guichet
import Testing
import HTTPServer
@testable import GuichetServer

/// Found by Scripts/load-test: while `guichet import` held the write lock (12 s for 100,000 accounts), a search — which
/// journals a row, so writes — waited the then 5 s busy timeout, got SQLITE_BUSY and answered 500 internal. The
/// service now waits 30 s, and a lock held longer still is a 503 database-busy with Retry-After, not a 500.
@Suite struct DatabaseBusyTests {
    /// Holds the database's write lock from another connection (as `guichet import` does) for `seconds`.
    func holdWriteLock(_ path: String, for seconds: Double, started: DispatchSemaphore) -> Thread {
        let thread = Thread {
            do {
                let other = try DatabaseQueue(path: path)
                try other.inTransaction(.immediate) { _ in
                    started.signal()
                    Thread.sleep(forTimeInterval: seconds)
                    return .commit
                }
            } catch {
                Issue.record("could not hold the lock: \(error)")
                started.signal()
            }
        }
        thread.start()
        return thread
    }

    @Test func aSearchWaitsForAnImportsWriteLockLongerThanFiveSeconds() throws {
        let h = try Harness()
        let (cookie, _) = try h.signIn()
        let started = DispatchSemaphore(value: 0)
        _ = holdWriteLock(h.database.path, for: 6, started: started)
        started.wait()
        let t0 = Date()
        let r = h.call("GET", "/api/v1/accounts?q=zoe", cookie: cookie)
        #expect(r.status == 200, "\(String(decoding: r.body, as: UTF8.self))")
        #expect(Date().timeIntervalSince(t0) >= 5)
    }

    @Test func aLockHeldPastTheBusyTimeoutIs503DatabaseBusyWithRetryAfter() throws {
        let h = try Harness()
        let shortWait = try GuichetDatabase(path: h.database.path, busyTimeout: 0.2)
        let service = try GuichetService(settings: h.service.settings, database: shortWait)
        let signIn = service.respond(
            to: Request(
                method: "POST", target: "/api/v1/session", headers: ["Content-Type": "application/json"],
                body: Array(#"{"login":"agent","password":"\#(Harness.agentPassword)"}"#.utf8))!)
        let cookie = try #require(signIn.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        let started = DispatchSemaphore(value: 0)
        _ = holdWriteLock(h.database.path, for: 2, started: started)
        started.wait()
        let r = service.respond(to: Request(method: "GET", target: "/api/v1/accounts?q=zoe", headers: ["Cookie": cookie])!)
        #expect(r.status == 503)
        #expect(object(r)["code"] as? String == "database-busy")
        #expect(r.headers["retry-after"] == "5")
        #expect(GuichetDatabase.isBusy(DatabaseError(resultCode: .SQLITE_BUSY)))
        #expect(!GuichetDatabase.isBusy(DatabaseError(resultCode: .SQLITE_CONSTRAINT)))
    }
}
