import Foundation
import GRDB
import Testing
@testable import Guichet

@Suite struct JournalTests {
    func journalOf(_ count: Int) throws -> TemporaryDatabase {
        let t = try TemporaryDatabase()
        try t.database.writer.write { db in
            for i in 0..<count {
                try Journal.append(
                    db,
                    JournalEntry(
                        staff: "agent\(i % 3)", channel: .kiosk, action: .search,
                        details: ["query": "gérard \(i)", "count": "\(i)"]))
            }
        }
        return t
    }

    /// Drops the triggers, as someone tampering with the file would, then runs `tamper`.
    func tampered(_ t: TemporaryDatabase, _ tamper: String) throws -> JournalError? {
        try t.database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete")
            try db.execute(sql: tamper)
        }
        do { _ = try t.database.writer.read { db in try Journal.verify(db) }; return nil } catch let error as JournalError {
            return error
        }
    }

    @Test func anIntactChainVerifies() throws {
        let t = try journalOf(50)
        let v = try t.database.writer.read { db in try Journal.verify(db) }
        #expect(v.count == 50 && v.headSeq == 50 && v.head.count == 64)
    }

    @Test func theDatabaseRefusesUpdatesAndDeletes() throws {
        let t = try journalOf(3)
        #expect(throws: DatabaseError.self) {
            try t.database.writer.write { db in try db.execute(sql: "UPDATE journal SET staff = 'x'") }
        }
        #expect(throws: DatabaseError.self) {
            try t.database.writer.write { db in try db.execute(sql: "DELETE FROM journal WHERE seq = 2") }
        }
    }

    @Test func verifyNamesTheFirstEditedRow() throws {
        let t = try journalOf(20)
        #expect(
            try tampered(t, "UPDATE journal SET details = '{\"query\":\"x\"}' WHERE seq = 7")
                == .broken(seq: 7, reason: "its content does not match its hash (edited)"))
    }

    @Test func verifyNamesADeletedRow() throws {
        let t = try journalOf(20)
        guard case .broken(let seq, _) = try tampered(t, "DELETE FROM journal WHERE seq = 12") else {
            Issue.record("not caught"); return
        }
        #expect(seq == 13)
    }

    @Test func verifyCatchesADeletedFirstRow() throws {
        let t = try journalOf(5)
        guard case .broken(let seq, _) = try tampered(t, "DELETE FROM journal WHERE seq = 1") else {
            Issue.record("not caught"); return
        }
        #expect(seq == 2)
    }

    @Test func verifyCatchesSwappedRows() throws {
        let t = try journalOf(10)
        let error = try tampered(
            t,
            """
            UPDATE journal SET seq = -4 WHERE seq = 4; UPDATE journal SET seq = 4 WHERE seq = 5; UPDATE journal SET seq = 5 WHERE seq = -4
            """)
        guard case .broken(let seq, _) = error else { Issue.record("not caught"); return }
        #expect(seq == 4)
    }

    @Test func verifyCatchesAnInsertedRowEvenWithAPlausibleHash() throws {
        let t = try journalOf(10)
        // A row forged with a correct hash over its own content, shifted in at 6: row 7 no longer chains.
        let error = try tampered(
            t,
            """
            UPDATE journal SET seq = seq + 100 WHERE seq >= 6;
            INSERT INTO journal SELECT 6, at, staff, channel, action, target, details, prev_hash, hash FROM journal WHERE seq = 105;
            UPDATE journal SET seq = seq - 99 WHERE seq >= 106;
            """)
        #expect(error != nil)
    }

    @Test func aSignOffStillMatchingTheChainVerifies() throws {
        let t = try journalOf(10)
        let signOff = try Journal.signOff(
            t.database, day: JournalDay.of(Date(), in: JournalFixture.paris), staff: "cpe",
            channel: .kiosk, timeZone: JournalFixture.paris)
        #expect(signOff.upTo == 10 && signOff.seq == 11)
        let v = try t.database.writer.read { db in try Journal.verify(db) }
        #expect(v.signOffsChecked == 1 && v.headSeq == 11)
    }

    @Test func verifyCatchesASignOffThatNoLongerMatchesARechainedJournal() throws {
        let t = try journalOf(10)
        _ = try Journal.signOff(
            t.database, day: JournalDay.of(Date(), in: JournalFixture.paris), staff: "cpe",
            channel: .kiosk, timeZone: JournalFixture.paris)
        _ = try t.database.writer.write { db in try JournalFixture.appendRaw(db, action: "search", at: Date()) }
        // Row 5 edited and every hash after it recomputed: the chain itself is consistent again, the sign-off is not.
        let error = try tampered(t, "UPDATE journal SET details = '{\"query\":\"autre\"}' WHERE seq = 5")
        #expect(error == .broken(seq: 5, reason: "its content does not match its hash (edited)"))
        try t.database.writer.write { db in try JournalFixture.rechain(db, from: 5) }
        guard case .broken(let seq, let reason) = try JournalFixture.verdict(t.database.writer) else {
            Issue.record("not caught"); return
        }
        #expect(seq == 11 && reason.contains("signed row 10"))
    }

    @Test func verifyCatchesASignOffRewrittenToAnotherHead() throws {
        let t = try journalOf(6)
        _ = try Journal.signOff(
            t.database, day: JournalDay.of(Date(), in: JournalFixture.paris), staff: "cpe",
            channel: .kiosk, timeZone: JournalFixture.paris)
        _ = try tampered(t, "UPDATE journal SET details = json_set(details, '$.upTo', 3) WHERE seq = 7")
        try t.database.writer.write { db in try JournalFixture.rechain(db, from: 7) }
        guard case .broken(let seq, _) = try JournalFixture.verdict(t.database.writer) else { Issue.record("not caught"); return }
        #expect(seq == 7)
    }

    @Test func theSignOffsOfADayAreListedWithTheirHead() throws {
        let t = try journalOf(4)
        let day = JournalDay.of(Date(), in: JournalFixture.paris)
        let first = try Journal.signOff(t.database, day: day, staff: "cpe", channel: .kiosk, timeZone: JournalFixture.paris)
        #expect(throws: SignOffError.alreadySignedOff(first)) {
            try Journal.signOff(t.database, day: day, staff: "cpe", channel: .kiosk, timeZone: JournalFixture.paris)
        }
        _ = try t.database.writer.write { db in try JournalFixture.appendRaw(db, action: "search", at: Date()) }
        let second = try Journal.signOff(t.database, day: day, staff: "cpe", channel: .kiosk, timeZone: JournalFixture.paris)
        #expect(second.upTo == 6)
        #expect(try t.database.writer.read { db in try Journal.signOffs(db, day: day) } == [first, second])
    }
}

@Suite struct JournalGroupCommitTests {
    @Test func concurrentAppendsEachGetOneDurableRowAndTheChainHolds() throws {
        let t = try TemporaryDatabase()
        let journal = t.database.journal
        let lock = NSLock()
        nonisolated(unsafe) var seqs: [Int64] = []
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            let seq = try! journal.append(
                JournalEntry(
                    staff: "agent\(i % 4)", channel: .kiosk, action: .search,
                    details: ["query": "q\(i)"]))
            lock.withLock { seqs.append(seq) }
        }
        #expect(seqs.sorted() == Array(1...200))
        let verified = try t.database.writer.read { db in try Journal.verify(db) }
        #expect(verified.count == 200)
        // Every query appears exactly once.
        let queries = try t.database.writer.read { db in try String.fetchAll(db, sql: "SELECT details FROM journal") }
        #expect(Set(queries).count == 200)
    }
}
