import Foundation
import GRDB
import Testing
@testable import Guichet

/// Issue 18, item 4: the chain is keyed with a key outside the database, its head witnessed outside it, and
/// `verify` (hence `journal verify`, `doctor`, backup and restore) names what is wrong when someone with write access
/// to the database alone rewrites, cuts or empties the journal, or touches its triggers.
@Suite struct JournalKeyTests {
    func journalOf(_ count: Int) throws -> TemporaryDatabase {
        let t = try TemporaryDatabase()
        for i in 0..<count {
            // One commit each, as the desk writes them: each head is witnessed.
            try t.database.writer.write { db in
                try Journal.append(
                    db, JournalEntry(staff: "agent", channel: .kiosk, action: .search, details: ["query": "q\(i)"]))
            }
        }
        return t
    }

    func verdict(_ t: TemporaryDatabase) -> JournalError? {
        do { _ = try t.database.verifyJournal(); return nil } catch let error as JournalError { return error } catch {
            Issue.record("not a JournalError: \(error)")
            return nil
        }
    }

    @Test func aChainRecomputedWithoutTheKeyDoesNotVerify() throws {
        let t = try journalOf(10)
        try t.database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER journal_no_update")
            try db.execute(sql: "UPDATE journal SET details = '{\"query\":\"autre\"}' WHERE seq = 5")
            // The forger recomputes every hash from row 5 with SHA-256, as the unkeyed chain allowed.
            var previous = try String.fetchOne(db, sql: "SELECT hash FROM journal WHERE seq = 4")!
            for r in try Row.fetchAll(db, sql: "SELECT * FROM journal WHERE seq >= 5 ORDER BY seq") {
                var row = JournalRow(row: r)
                row.previousHash = previous
                previous = row.computedHash()
                try db.execute(
                    sql: "UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?",
                    arguments: [row.previousHash, previous, row.seq])
            }
        }
        #expect(verdict(t) == .broken(seq: 5, reason: "its content does not match its hash (edited)"))
        // Sealed under another key is no better: another database's key does not check this chain.
        let other = try journalOf(1)
        let keyPath = DatabaseSecret.path(besideDatabase: t.path)
        try FileManager.default.removeItem(atPath: keyPath)
        try FileManager.default.copyItem(atPath: DatabaseSecret.path(besideDatabase: other.path), toPath: keyPath)
        let inspection = try DatabaseInspection.inspect(path: t.path)
        #expect(inspection.journal == .failure(.broken(seq: 1, reason: "its content does not match its hash (edited)")))
    }

    @Test func cuttingTheNewestRowsIsCaughtByTheWitness() throws {
        let t = try journalOf(10)
        let witnessed = try #require(try JournalWitness.lastHead(at: t.database.witness.path))
        #expect(witnessed.seq == 10)
        let info = try FileManager.default.attributesOfItem(atPath: t.database.witness.path)
        #expect((info[.posixPermissions] as? Int) == 0o600)
        try t.database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq >= 9")
            // Put back exactly, so that only the witness can tell.
            try db.execute(
                sql: """
                    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
                                    WHEN OLD.seq >= coalesce((SELECT max(first_seq) FROM journal_anchor), 0)
                                    BEGIN SELECT RAISE(ABORT, 'the journal is append-only: rows cannot be deleted (only guichet journal purge removes old days)'); END
                    """)
        }
        #expect(verdict(t) == .witness("the journal ends at row 8, but row 10 was witnessed: the newest rows were removed"))
        // doctor and backup read the same witness.
        let inspection = try DatabaseInspection.inspect(path: t.path)
        guard case .failure(.witness) = inspection.journal else { Issue.record("doctor saw \(inspection.journal)"); return }
    }

    @Test func anEmptiedJournalBehindAForgedPurgeRowDoesNotVerify() throws {
        let t = try journalOf(10)
        // With the triggers intact: an anchor past the head lets every row go, then a forged purge row "explains" it.
        try t.database.writer.write { db in
            let head = try String.fetchOne(db, sql: "SELECT hash FROM journal WHERE seq = 10")!
            try db.execute(
                sql: "INSERT INTO journal_anchor VALUES (11, ?, '2026-11-21T00:00:00Z', '2026-11-21')", arguments: [head])
            try db.execute(sql: "DELETE FROM journal WHERE seq < 11")
            let forged = JournalRow(
                seq: 11, at: "2026-11-21T00:00:00Z", staff: "system", channel: "cli", action: "journal-purged",
                target: nil,
                details: #"{"anchorHash":"\#(head)","before":"2026-11-21","firstKeptSeq":11,"keepMonths":6,"removed":10}"#,
                previousHash: head, hash: "")
            try db.execute(
                sql: "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    forged.seq, forged.at, forged.staff, forged.channel, forged.action, forged.target, forged.details,
                    forged.previousHash, forged.computedHash()
                ])
        }
        #expect(verdict(t) == .broken(seq: 11, reason: "its content does not match its hash (edited)"))
    }

    @Test func aMissingAlteredOrForeignTriggerIsNamed() throws {
        let t = try journalOf(3)
        try t.database.writer.writeWithoutTransaction { db in try db.execute(sql: "DROP TRIGGER journal_no_update") }
        #expect(verdict(t) == .schema("the trigger journal_no_update is missing"))
        try t.database.writer.writeWithoutTransaction { db in
            try db.execute(
                sql: "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal WHEN 0 BEGIN SELECT RAISE(ABORT, 'no'); END")
        }
        #expect(verdict(t) == .schema("the trigger journal_no_update was altered"))
        let u = try journalOf(3)
        try u.database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TRIGGER journal_wipe AFTER INSERT ON journal BEGIN SELECT 1; END")
        }
        #expect(verdict(u) == .schema("an unknown trigger journal_wipe sits on the journal's tables"))
        let v = try journalOf(3)
        try v.database.writer.writeWithoutTransaction { db in try db.execute(sql: "DROP TRIGGER journal_anchor_forward") }
        #expect(verdict(v) == .schema("the trigger journal_anchor_forward is missing"))
    }

    @Test func aJournalFromBeforeTheKeyIsKeyedFromAStatedRowAndStillVerifies() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite3").path
        do {
            // A bare connection: the migrations need no function of the live code, and an old release had no key.
            let old = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(old, upTo: "v11-staff-sessions")
            // The rows a release before v12 wrote: SHA-256 chained (today's `append` needs the keyed schema).
            try old.write { db in try JournalFixture.insertUnkeyed(db, count: 5) }
            try old.close()
        }
        #expect(!FileManager.default.fileExists(atPath: DatabaseSecret.path(besideDatabase: path)))
        let upgraded = try GuichetDatabase(path: path, access: .command)
        let v = try upgraded.verifyJournal()
        #expect(v.headSeq == 6)
        let rows = try upgraded.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM journal ORDER BY seq").map(JournalRow.init(row:))
        }
        #expect(rows.prefix(5).allSatisfy { $0.computedHash() == $0.hash })
        #expect(
            rows[5].action == "journal-keyed" && rows[5].detailsObject["fromSeq"] == .number(6)
                && rows[5].computedHash() != rows[5].hash)
        #expect(FileManager.default.fileExists(atPath: DatabaseSecret.path(besideDatabase: path)))
        #expect(try JournalWitness.lastHead(at: upgraded.witness.path)?.seq == 6)
        // Moving the keying point past the head, to recompute every row without the key, is named.
        try upgraded.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER journal_keying_no_update; UPDATE journal_keying SET first_seq = 7")
        }
        guard case .broken(let seq, _) = try? #require(throws: JournalError.self, performing: { try upgraded.verifyJournal() })
        else {
            Issue.record("not caught"); return
        }
        #expect(seq == 6)
    }

    @Test func withoutItsKeyFileAKeyedJournalIsReportedNotResealed() throws {
        let t = try journalOf(3)
        try FileManager.default.removeItem(atPath: DatabaseSecret.path(besideDatabase: t.path))
        let reopened = try GuichetDatabase(path: t.path, access: .command)
        guard case .key(let reason) = try #require(throws: JournalError.self, performing: { try reopened.verifyJournal() }) else {
            Issue.record("not a key error"); return
        }
        #expect(reason.contains("journal-key is missing"))
        // No new key is made for new rows of a keyed journal.
        #expect(throws: (any Error).self) {
            try reopened.writer.write { db in try Journal.append(db, JournalEntry(staff: "x", channel: .cli, action: .search)) }
        }
        #expect(!FileManager.default.fileExists(atPath: DatabaseSecret.path(besideDatabase: t.path)))
    }

    /// Found by the bench, whose database had lost its key file: the first sign-in with a name nobody has (anyone at
    /// the sign-in form can type one) made a new key for its fingerprint, and the journal's next rows were sealed
    /// with it, so every earlier row then failed as "edited" instead of the key being reported missing.
    @Test func aNameNobodyHasAtSignInMakesNoNewKeyForAKeyedJournal() throws {
        let t = try journalOf(3)
        let keyPath = DatabaseSecret.path(besideDatabase: t.path)
        try FileManager.default.removeItem(atPath: keyPath)
        let reopened = try GuichetDatabase(path: t.path, access: .command)
        #expect(throws: (any Error).self) { try Staff.checkSignIn(reopened, name: "nobody", password: "not-a-password") }
        #expect(!FileManager.default.fileExists(atPath: keyPath))
        // The service refuses to start on it, naming the file.
        let refusal = try #require(throws: (any Error).self) { try reopened.checkJournalKey() }
        #expect("\(refusal)".contains("journal-key is missing; restore it from the backup"))
        guard case .key(let reason) = try #require(throws: JournalError.self, performing: { try reopened.verifyJournal() }) else {
            Issue.record("not a key error"); return
        }
        #expect(reason.contains("journal-key is missing"))
    }

    /// On a database whose journal has no keyed row yet, the same sign-in makes the key, as the first row would.
    @Test func aNameNobodyHasAtSignInOnANewDatabaseMakesTheKey() throws {
        let t = try TemporaryDatabase()
        let keyPath = DatabaseSecret.path(besideDatabase: t.path)
        if FileManager.default.fileExists(atPath: keyPath) { try FileManager.default.removeItem(atPath: keyPath) }
        let reopened = try GuichetDatabase(path: t.path, access: .command)
        try reopened.checkJournalKey()
        let attempt = try Staff.checkSignIn(reopened, name: "nobody", password: "not-a-password")
        #expect(attempt.failure?.reason == "unknown-name" && attempt.failure?.nameFingerprint?.count == 16)
        #expect(FileManager.default.fileExists(atPath: keyPath))
        try reopened.writer.write { db in try Journal.append(db, JournalEntry(staff: "x", channel: .cli, action: .search)) }
        _ = try reopened.verifyJournal()
    }
}
