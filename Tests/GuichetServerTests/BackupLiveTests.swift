import Foundation
import GRDB
import Guichet
import Testing
@testable import GuichetServer

/// A backup taken while the service answers searches and prints sheets on a real socket is the database as of one
/// commit: its journal verifies and is a prefix of the live journal; restored, it verifies again.
@Suite struct BackupLiveTests {
    /// Set by the test, read by the workers.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    @Test func aBackupTakenWhileSearchingAndPrintingIsConsistentAndRestores() throws {
        let h = try Harness()
        let daemon = try h.service.start()
        let (cookie, csrf) = try h.signIn()
        let port = daemon.port
        let stop = Flag()
        let failures = NSLock()
        nonisolated(unsafe) var statuses: [Int] = []
        let group = DispatchGroup()
        for worker in 0..<3 {
            DispatchQueue.global().async(group: group) {
                // Bounded: 60 requests at most per worker, or until the backups are done.
                for i in 0..<60 where !stop.isSet {
                    let r: (status: Int, headers: [String: String], body: Data)?
                    if worker == 0 || i % 2 == 0 {
                        r = try? LiveServiceTests.send(
                            "GET", port: port, "/api/v1/accounts?q=\(["nat", "gerard", "aiss"][i % 3])",
                            headers: ["Cookie": "guichet_session=\(cookie)"])
                    } else {
                        r = try? LiveServiceTests.send(
                            "POST", port: port, "/api/v1/accounts/nathanael.ndiaye/sheet",
                            body: Array(#"{"idCheck":"cni","recipient":"self"}"#.utf8),
                            headers: [
                                "Cookie": "guichet_session=\(cookie)", "X-CSRF-Token": csrf,
                                "Content-Type": "application/json"
                            ])
                    }
                    failures.withLock { statuses.append(r?.status ?? -1) }
                }
            }
        }
        var backups: [Backup.Report] = []
        func sheetsPrinted() throws -> Int {
            try h.database.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM journal WHERE action = 'sheet-printed'") ?? 0
            }
        }
        for n in 0..<4 {
            // Each backup once one more sheet was printed since the last: it runs amid the traffic. A generous bound
            // (60 s): the whole suite runs in parallel, and a loaded machine must not make the backups outrun the sheets.
            let deadline = Date().addingTimeInterval(60)
            while try sheetsPrinted() <= n, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            backups.append(try Backup.take(h.database, to: h.folder.appendingPathComponent("backup-\(n).sqlite3").path))
        }
        stop.set()
        group.wait()
        daemon.stop()

        #expect(!statuses.isEmpty && statuses.allSatisfy { $0 == 200 }, "\(statuses.filter { $0 != 200 })")
        let live = try h.database.writer.read { db in try Row.fetchAll(db, sql: "SELECT seq, hash FROM journal ORDER BY seq") }
        var previous = 0
        for report in backups {
            let head = try report.inspection.journal.get()
            #expect(head.count >= previous)
            previous = head.count
            // The backup's head is the live journal's row of the same number: a prefix, as of one commit.
            #expect(live[head.count - 1]["hash"] as String == head.hash)
        }
        #expect(previous > 3, "the backups saw the searches and sheets journalled while they ran")

        let restored = h.folder.appendingPathComponent("restored.sqlite3").path
        let report = try Backup.restore(from: backups.last!.path, into: restored)
        // + the restore's row:
        #expect(try report.inspection.journal.get().count == backups.last!.inspection.journal.get().count + 1)
        #expect(report.inspection.isSound && report.keyRestored)
        let sheets = try DatabaseQueue(path: restored).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM journal WHERE action = 'sheet-printed'")
        }
        #expect((sheets ?? 0) > 0)
    }
}
