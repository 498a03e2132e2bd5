import ArgumentParser
import Foundation
import Guichet

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database (and its renewal key) while the service runs: SQLite's online backup, checked.",
        discussion:
            "DEST is a new file, or a folder where guichet-<time>.sqlite3 is written. Run it as the service's user: sudo -u guichet guichet backup …"
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The backup file to create, or an existing folder.") var destination: String
    @Option(help: "With a folder: keep only the newest N backups there (and their keys).") var keep: Int?

    func validate() throws {
        if let keep, keep < 1 { throw ValidationError("--keep must be 1 or more") }
    }

    func run() throws {
        let path = database.databasePath()
        guard FileManager.default.fileExists(atPath: path) else { fail("no database at \(path)", code: 2) }
        warnIfNotOwner(path)
        var isFolder: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder) && isFolder.boolValue
        if keep != nil && !folder { throw ValidationError("--keep needs DEST to be a folder") }
        let target = folder ? (destination as NSString).appendingPathComponent(Backup.fileName()) : destination
        let report: Backup.Report
        do { report = try Backup.take(try database.open(), to: target) } catch let error as BackupError {
            fail(error.description, code: 2)
        }
        let journal =
            (try? report.inspection.journal.get()).map { "\($0.count) journal entries, head \($0.hash.prefix(16))…" } ?? ""
        print("Backed up \(path) to \(report.path): \(report.inspection.accounts) accounts, \(journal), integrity ok")
        print(
            report.keyPath.map { "  renewal key copied to \($0) (mode 0600): keep it with the backup" }
                ?? "  no renewal key yet (no code issued): nothing to copy")
        if folder, let keep { prune(destination, keep: keep) }
    }

    /// Removes the oldest `guichet-*.sqlite3` (and keys) of the folder beyond the newest `keep`.
    private func prune(_ folder: String, keep: Int) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasPrefix("guichet-") && $0.hasSuffix(".sqlite3") }.sorted()
        for name in names.dropLast(keep) {
            let file = (folder as NSString).appendingPathComponent(name)
            try? FileManager.default.removeItem(atPath: file)
            try? FileManager.default.removeItem(atPath: file + ".key")
            print("  removed the old backup \(file)")
        }
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the database by a backup whose integrity and journal verify; the current one is kept aside.",
        discussion: "Stop the service first or restart it after (systemctl restart guichet). Run it as the service's user.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The backup file (its key, SRC.key, is restored with it when present).") var source: String

    func run() throws {
        let path = database.databasePath()
        warnIfNotOwner(path)
        let report: Backup.RestoreReport
        do { report = try Backup.restore(from: source, into: path, by: operatorName()) } catch {
            fail("restore refused: \(error)", code: 2)
        }
        if let previous = report.previous { print("Kept the previous database aside: \(previous) (and its key, if any)") }
        let journal =
            (try? report.inspection.journal.get()).map { "\($0.count) journal entries, head \($0.hash.prefix(16))…" } ?? ""
        let date = report.inspection.dataDate.map { "export of \(Timestamp.day($0))" } ?? "no import"
        print("Restored \(source) into \(path): \(report.inspection.accounts) accounts, \(date), \(journal), integrity ok")
        print(
            report.keyRestored
                ? "  renewal key restored from \(source).key"
                : "  no \(source).key: the renewal codes issued before the backup can no longer be checked")
        print("Restart the service now: systemctl restart guichet")
    }
}

/// Files SQLite creates beside the database (-wal, -shm) belong to whoever runs the command: root running one on
/// the service's database would lock the service out of them.
func warnIfNotOwner(_ path: String) {
    guard geteuid() == 0, let owner = (try? FileManager.default.attributesOfItem(atPath: path))?[.ownerAccountID] as? Int,
        owner != 0
    else { return }
    FileHandle.standardError.write(
        Data("guichet: warning: running as root on a database owned by uid \(owner); prefer sudo -u guichet guichet …\n".utf8))
}
