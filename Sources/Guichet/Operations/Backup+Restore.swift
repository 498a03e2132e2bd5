import Foundation
import GRDB
#if canImport(Glibc)
    import Glibc
#endif

extension Backup {
    public struct RestoreReport: Sendable {
        /// The restored database, as checked after the restore.
        public let inspection: DatabaseInspection
        /// Where the database that was replaced now is (a backup of it, with its key); nil when there was none.
        public let previous: String?
        /// Whether a key came with the backup and replaced the live one.
        public let keyRestored: Bool
    }

    /// Replaces the database at `databasePath` by the backup at `source`, after checking that the backup is sound,
    /// that its triggers are Guichet's, and that its journal verifies under its own key (`<backup>.journal-key`) and
    /// against its witness (`<backup>.journal-witness`). The database being replaced is first backed up beside itself
    /// (`<database>.before-restore-<time>`, with its keys); a damaged one is moved aside unchecked
    /// (`<database>.damaged-before-restore-<time>`). The restore is journalled (`database-restored`) in the
    /// restored database, and the live witness starts again from the restored head. The copy goes through SQLite's backup API into the live
    /// file, so a running service never reads a half-copied page; it must still be restarted, to forget its
    /// sessions and read the restored key.
    public static func restore(
        from source: String, into databasePath: String, by restoredBy: String? = nil,
        now: Date = Date()
    ) throws(BackupError) -> RestoreReport {
        let checked = try DatabaseInspection.inspect(path: source)
        try check(checked, as: source)
        let sourceKey = FileManager.default.fileExists(atPath: source + ".key") ? source + ".key" : nil
        if let sourceKey {
            guard let size = (try? FileManager.default.attributesOfItem(atPath: sourceKey))?[.size] as? Int, size == 32 else {
                throw .keyFile(sourceKey, "must hold exactly 32 bytes; is it the key of this backup?")
            }
        }

        var previous: String? = nil
        if FileManager.default.fileExists(atPath: databasePath) {
            let stamp = Timestamp.format(now).replacingOccurrences(of: ":", with: "")
            let aside = databasePath + ".before-restore-" + stamp
            do {
                let live = try GuichetDatabase(path: databasePath, access: .command)
                defer { try? live.writer.close() }
                _ = try take(live, to: aside)
                previous = aside
            } catch {
                // The live database is damaged (restoring is what one does then): its files are moved aside as they
                // are, unchecked, under a name that says so, with its keys; the restore goes on into a free place.
                previous = try setAside(databasePath, as: databasePath + ".damaged-before-restore-" + stamp)
            }
        }

        do {
            var configuration = Configuration()
            configuration.readonly = true
            let backup = try DatabaseQueue(path: source, configuration: configuration)
            let live = try GuichetDatabase(path: databasePath, access: .command)
            try backup.backup(to: live.writer)
            try backup.close()
            try live.writer.close()
            // Reopening runs the migrations: a backup from an older version is brought up to this one's schema.
            try GuichetDatabase(path: databasePath, access: .command).writer.close()
        } catch {
            throw .io(databasePath, "the restore failed: \(error)\(previous.map { "; the previous database is in \($0)" } ?? "")")
        }

        if let sourceKey { try copyKey(from: sourceKey, to: databasePath + ".key", placement: .replacing) }
        let sourceJournalKey = DatabaseSecret.path(besideDatabase: source)
        if FileManager.default.fileExists(atPath: sourceJournalKey) {
            try copyKey(
                from: sourceJournalKey, to: DatabaseSecret.path(besideDatabase: databasePath), placement: .replacing)
        }
        // The live witness speaks of the replaced journal: it is kept aside and a new one starts at the restored head.
        let head = try DatabaseInspection.inspect(path: databasePath, witnessPath: "")
        if case .success(let h) = head.journal {
            JournalWitness.restart(
                at: JournalWitness.path(besideDatabase: databasePath),
                head: h.seq.flatMap { $0 > 0 ? JournalWitness.Head(seq: $0, hash: h.hash) : nil })
        }
        // Journalled in the restored database: the journal says it was restored, from what, and where the previous is.
        do {
            let restoredDatabase = try GuichetDatabase(path: databasePath, access: .command)
            try restoredDatabase.writer.write { db in
                try Journal.append(
                    db,
                    JournalEntry(
                        staff: restoredBy, channel: .cli, action: .databaseRestored,
                        details: RestoreDetails(from: source, previous: previous)), at: now)
            }
            try restoredDatabase.writer.close()
        } catch {
            throw .io(databasePath, "restored, but the restore could not be journalled: \(error)")
        }
        let restored = try DatabaseInspection.inspect(path: databasePath)
        try check(restored, as: databasePath)
        return RestoreReport(inspection: restored, previous: previous, keyRestored: sourceKey != nil)
    }

    struct RestoreDetails: Encodable {
        let from: String
        let previous: String?
    }

    /// Moves a damaged database's files (and copies its keys) to `aside`; returns `aside`.
    static func setAside(_ databasePath: String, as aside: String) throws(BackupError) -> String {
        for suffix in ["", "-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: databasePath + suffix) {
            guard rename(databasePath + suffix, aside + suffix) == 0 else {
                throw .io(databasePath + suffix, "cannot be moved aside: \(String(cString: strerror(errno)))")
            }
        }
        for key in [".key", ".journal-key"] where FileManager.default.fileExists(atPath: databasePath + key) {
            try copyKey(from: databasePath + key, to: aside + key)
        }
        return aside
    }
}
