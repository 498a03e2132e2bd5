import Foundation
import GRDB
import Testing
@testable import Guichet

/// Backups are checked copies that never overwrite; a restore refuses what does not verify and keeps the old aside.
@Suite struct BackupTests {
    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func journalCount(_ path: String) throws -> Int {
        try (DatabaseInspection.inspect(path: path).journal.get()).count
    }

    /// A database with the family imported and a renewal key beside it.
    func populated() throws -> TemporaryDatabase {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        _ = try RenewalKey.loadOrCreate(at: RenewalKey.path(besideDatabase: t.path))
        return t
    }

    @Test func aBackupIsAPrivateSelfContainedCheckedCopyWithItsKey() throws {
        let t = try populated()
        let destination = t.folder.appendingPathComponent("backup.sqlite3").path
        let report = try Backup.take(t.database, to: destination)
        #expect(report.inspection.integrity == ["ok"] && report.inspection.accounts == 13)
        #expect(try report.inspection.journal.get().count == journalCount(t.path))
        #expect(try mode(destination) == 0o600)
        #expect(report.keyPath == destination + ".key")
        #expect(try mode(destination + ".key") == 0o600)
        #expect(
            FileManager.default.contents(atPath: destination + ".key") == FileManager.default.contents(atPath: t.path + ".key"))
        // Byte 18 of the header is 1 for a rollback journal, 2 for WAL: the copy needs no -wal beside it.
        let header = try #require(FileManager.default.contents(atPath: destination)).prefix(20)
        #expect(header[header.startIndex + 18] == 1)
        #expect(!FileManager.default.fileExists(atPath: destination + "-wal"))
    }

    @Test func aBackupNeverOverwritesAFile() throws {
        let t = try populated()
        let destination = t.folder.appendingPathComponent("backup.sqlite3").path
        FileManager.default.createFile(atPath: destination, contents: Data("keep me".utf8))
        #expect(throws: BackupError.exists(destination)) { _ = try Backup.take(t.database, to: destination) }
        #expect(FileManager.default.contents(atPath: destination) == Data("keep me".utf8))
    }

    @Test func restoreRefusesABackupWhoseJournalDoesNotVerifyAndChangesNothing() throws {
        let t = try populated()
        let backup = t.folder.appendingPathComponent("backup.sqlite3").path
        _ = try Backup.take(t.database, to: backup)
        let tampered = try DatabaseQueue(path: backup)
        try tampered.write { db in
            try db.execute(sql: "DROP TRIGGER journal_no_update")
            try db.execute(sql: "UPDATE journal SET staff = 'someone else' WHERE seq = 1")
        }
        try tampered.close()
        let before = try journalCount(t.path)
        #expect(
            throws: BackupError.journalBroken(backup, .broken(seq: 1, reason: "its content does not match its hash (edited)"))
        ) {
            _ = try Backup.restore(from: backup, into: t.path)
        }
        #expect(try journalCount(t.path) == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: t.folder.path)
        #expect(!names.contains { $0.contains("before-restore") })
    }

    @Test func restoreRefusesWhatIsNotAGuichetDatabase() throws {
        let t = try populated()
        let other = t.folder.appendingPathComponent("other.sqlite3").path
        try DatabaseQueue(path: other).write { db in try db.execute(sql: "CREATE TABLE t(x)") }
        #expect(throws: BackupError.notGuichet(other)) { _ = try Backup.restore(from: other, into: t.path) }
        let text = t.folder.appendingPathComponent("notes.txt").path
        FileManager.default.createFile(atPath: text, contents: Data(String(repeating: "not a database\n", count: 100).utf8))
        #expect(throws: BackupError.self) { _ = try Backup.restore(from: text, into: t.path) }
        #expect(throws: BackupError.missing("/nonexistent.sqlite3")) {
            _ = try Backup.restore(from: "/nonexistent.sqlite3", into: t.path)
        }
    }

    @Test func restoreBringsBackTheBackupAndKeepsThePreviousDatabaseAside() throws {
        let t = try populated()
        let backup = t.folder.appendingPathComponent("backup.sqlite3").path
        let taken = try Backup.take(t.database, to: backup)
        let key = FileManager.default.contents(atPath: t.path + ".key")
        // After the backup: another import and a new key (as if the key file had been lost).
        var later = ENTExport.family
        later.add(id: "99", type: "Student", last: "Nouveau", first: "Élève", login: "eleve.nouveau", classes: "2NDE 3")
        try t.importCSV(later.text)
        try FileManager.default.removeItem(atPath: t.path + ".key")
        _ = try RenewalKey.loadOrCreate(at: t.path + ".key")
        let laterCount = try journalCount(t.path)
        try t.database.writer.close()

        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let report = try Backup.restore(from: backup, into: t.path, now: now)
        // The backup's journal, and one more row: the restore itself.
        #expect(try report.inspection.journal.get().count == taken.inspection.journal.get().count + 1)
        #expect(report.inspection.accounts == 13 && report.keyRestored)
        #expect(FileManager.default.contents(atPath: t.path + ".key") == key)
        #expect(try mode(t.path + ".key") == 0o600)
        let aside = try #require(report.previous)
        #expect(aside == t.path + ".before-restore-2027-01-15T080000Z")
        #expect(try journalCount(aside) == laterCount)
        #expect(try DatabaseInspection.inspect(path: aside).accounts == 14)
        #expect(FileManager.default.fileExists(atPath: aside + ".key"))
    }

    @Test func restoreIntoAnEmptyPlaceNeedsNoPreviousDatabase() throws {
        let t = try populated()
        let backup = t.folder.appendingPathComponent("backup.sqlite3").path
        _ = try Backup.take(t.database, to: backup)
        let fresh = t.folder.appendingPathComponent("fresh/g.sqlite3").path
        try FileManager.default.createDirectory(
            atPath: (fresh as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let report = try Backup.restore(from: backup, into: fresh)
        #expect(report.previous == nil && report.inspection.accounts == 13)
    }

    // Issue 18, item 6.

    @Test func restoreWorksOnADamagedLiveDatabaseAndJournalsItself() throws {
        let t = try populated()
        let backup = t.folder.appendingPathComponent("backup.sqlite3").path
        _ = try Backup.take(t.database, to: backup)
        try t.database.writer.close()
        // The live file is damaged: overwritten, its WAL gone.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: t.path)[.size] as? Int)
        try Data(repeating: 0x5A, count: size).write(to: URL(fileURLWithPath: t.path))
        try? FileManager.default.removeItem(atPath: t.path + "-wal")
        try? FileManager.default.removeItem(atPath: t.path + "-shm")
        let report = try Backup.restore(from: backup, into: t.path, by: "admin", now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(report.previous == t.path + ".damaged-before-restore-2027-01-15T080000Z")
        #expect(FileManager.default.fileExists(atPath: t.path + ".damaged-before-restore-2027-01-15T080000Z"))
        #expect(report.inspection.isSound && report.inspection.accounts == 13)
        let restored = try GuichetDatabase(path: t.path, access: .command)
        let last = try restored.writer.read { db in try Journal.head(db) }
        #expect(last?.action == "database-restored" && last?.staff == "admin")
        #expect(last?.detailsObject["from"] == .string(backup))
        #expect(try restored.verifyJournal().headSeq == last?.seq)
    }

    @Test func restoreRefusesABackupWhoseTriggersWereDroppedOrWhoseKeyIsNotItsOwn() throws {
        let t = try populated()
        let backup = t.folder.appendingPathComponent("backup.sqlite3").path
        _ = try Backup.take(t.database, to: backup)
        let untriggered = t.folder.appendingPathComponent("untriggered.sqlite3").path
        try FileManager.default.copyItem(atPath: backup, toPath: untriggered)
        try FileManager.default.copyItem(atPath: backup + ".journal-key", toPath: untriggered + ".journal-key")
        try DatabaseQueue(path: untriggered).writeWithoutTransaction { db in try db.execute(sql: "DROP TRIGGER journal_no_delete")
        }
        #expect(throws: BackupError.journalBroken(untriggered, .schema("the trigger journal_no_delete is missing"))) {
            _ = try Backup.restore(from: untriggered, into: t.path)
        }
        // Another database's key beside the backup: its journal does not verify under it.
        let other = try populated()
        try FileManager.default.removeItem(atPath: backup + ".journal-key")
        try FileManager.default.copyItem(atPath: other.path + ".journal-key", toPath: backup + ".journal-key")
        #expect(throws: BackupError.self) { _ = try Backup.restore(from: backup, into: t.path) }
    }
}
