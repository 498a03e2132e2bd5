import Foundation
import GRDB
#if canImport(Glibc)
    import Glibc
#endif

/// Copies of the database taken while the service runs, and their restoration.
///
/// A backup is SQLite's online backup (sqlite3_backup_*, through GRDB's `backup(to:)`) read from one read
/// transaction: in WAL mode the service keeps writing meanwhile, and the copy is the database as of one commit.
/// The copy is written under a temporary name, switched to rollback-journal mode (one self-contained file, which a
/// read-only USB stick can still open), synced, checked (integrity and journal), then linked to its final name,
/// which never replaces an existing file. The renewal key (`<database>.key`) is copied beside it as `<backup>.key`,
/// mode 0600: without it the codes issued so far could not be checked after a restore. So are the journal's key
/// (`<backup>.journal-key`) and a witness of the copy's head (`<backup>.journal-witness`), which `restore` checks.
public enum Backup {
    public struct Report: Sendable {
        public let path: String
        public let inspection: DatabaseInspection
        /// The key file written beside the backup; nil when the database had none yet (no code issued).
        public let keyPath: String?
    }

    /// Writes a consistent copy of `database` to `destination` (a file that must not exist yet) and checks it.
    public static func take(_ database: GuichetDatabase, to destination: String) throws(BackupError) -> Report {
        guard !FileManager.default.fileExists(atPath: destination) else { throw .exists(destination) }
        let keySource = database.path + ".key"
        let keyDestination = destination + ".key"
        let hasKey = FileManager.default.fileExists(atPath: keySource)
        if hasKey, FileManager.default.fileExists(atPath: keyDestination) { throw .exists(keyDestination) }
        let journalKeySource = DatabaseSecret.path(besideDatabase: database.path)
        let journalKeyDestination = DatabaseSecret.path(besideDatabase: destination)
        let hasJournalKey = FileManager.default.fileExists(atPath: journalKeySource)
        if hasJournalKey, FileManager.default.fileExists(atPath: journalKeyDestination) { throw .exists(journalKeyDestination) }
        let temporary = destination + ".partial-\(getpid())"
        defer { unlink(temporary); unlink(temporary + "-journal") }
        // Created first, mode 0600: a backup holds the same personal data as the database (SQLite gives its
        // journal the database file's mode).
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(destination, "cannot be created: \(String(cString: strerror(errno)))") }
        close(fd)
        do {
            let copy = try DatabaseQueue(path: temporary)
            try database.writer.backup(to: copy)
            try copy.writeWithoutTransaction { db in
                // The backup copied the WAL flag of the source's header: make the copy one self-contained file.
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            }
            try copy.close()
        } catch let error as DatabaseError {
            throw .io(destination, "the online backup failed: \(error.message ?? "\(error.resultCode)")")
        } catch {
            throw .io(destination, "the online backup failed: \(error)")
        }
        try sync(temporary)
        // Checked against the live journal key and witness (a witness at most as new as the copy's head: read before).
        let inspection = try DatabaseInspection.inspect(path: temporary, keyPath: journalKeySource, witnessPath: "")
        try check(inspection, as: destination)
        guard link(temporary, destination) == 0 else {
            throw .io(destination, "cannot be created: \(String(cString: strerror(errno)))")
        }
        // Best effort (some file systems refuse to sync a folder): the copy is complete and checked either way.
        try? PrivateFile.syncFolder(of: destination)
        if hasKey { try copyKey(from: keySource, to: keyDestination) }
        if hasJournalKey { try copyKey(from: journalKeySource, to: journalKeyDestination) }
        // The copy's own witness: its head, for `restore` to check the copy against.
        if case .success(let head) = inspection.journal, let seq = head.seq, seq > 0 {
            try writePrivate(JournalWitness.path(besideDatabase: destination), bytes: Array("\(seq) \(head.hash)\n".utf8))
        }
        let final = DatabaseInspection(
            path: destination, integrity: inspection.integrity, journal: inspection.journal,
            dataDate: inspection.dataDate, accounts: inspection.accounts, bytes: inspection.bytes)
        return Report(path: destination, inspection: final, keyPath: hasKey ? keyDestination : nil)
    }

    /// Throws unless the file passed SQLite's integrity check and its journal verifies.
    static func check(_ inspection: DatabaseInspection, as path: String) throws(BackupError) {
        guard inspection.integrity == ["ok"] else {
            throw .damaged(path, inspection.integrity.prefix(3).joined(separator: "; "))
        }
        if case .failure(let error) = inspection.journal { throw .journalBroken(path, error) }
    }

    /// Copies a key file with mode 0600: refusing to replace one (the default), or in place of it (`.replacing`).
    static func copyKey(
        from source: String, to destination: String, placement: PrivateFile.Placement = .neverReplacing
    ) throws(BackupError) {
        guard let bytes = FileManager.default.contents(atPath: source) else { throw .keyFile(source, "cannot be read") }
        try writePrivate(destination, bytes: Array(bytes), placement: placement)
    }

    /// Writes `path` with mode 0600 and `bytes`, synced with its folder (`PrivateFile.writeAtomically`); by default
    /// fails if it exists.
    static func writePrivate(
        _ path: String, bytes: [UInt8], placement: PrivateFile.Placement = .neverReplacing
    ) throws(BackupError) {
        do {
            try PrivateFile.writeAtomically(bytes, to: path, placement: placement)
        } catch {
            throw .keyFile(path, error.reason)
        }
    }

    static func sync(_ path: String) throws(BackupError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else {
            if fd >= 0 { close(fd) }
            throw .io(path, "cannot be synced to disk: \(String(cString: strerror(errno)))")
        }
        close(fd)
    }

    /// `guichet-2026-11-21T203000Z.sqlite3`: a backup's name in a folder, sorting by date.
    public static func fileName(at date: Date = Date()) -> String {
        "guichet-" + Timestamp.format(date).replacingOccurrences(of: ":", with: "") + ".sqlite3"
    }
}
