import Foundation
import GRDB

/// `BatchClasses.known`'s answers, kept per database file until its data change (`DataVersion`).
///
/// Which structures have a class is read from every account of the class (`account_class` joined to `account`): at
/// 1M accounts a class name is shared by hundreds of schools ("2NDE 3": 13,426 accounts, 120 structures), and that
/// read took 50–60 ms of each desk search naming a class (`ClassLabels`) and of each class filter, where the search
/// itself took 1–10 ms. An answer is used only by a transaction that reads the same `DataVersion`, so a search that
/// began before an import and one that began after each get their own snapshot's answer.
final class KnownClasses: @unchecked Sendable {
    // @unchecked: `places` is used only with `lock` held.
    /// One per database file and data version: a new version starts empty.
    private static let kept = ImportScoped<KnownClasses>()
    private let lock = NSLock()
    private var places: [String: [String]] = [:]

    /// The answers for `keys` (each key present, an empty list for a class nobody has), those not kept yet from `read`.
    static func places(
        of keys: [String], _ db: Database, read: ([String]) throws -> [String: [String]]
    ) throws -> [String: [String]] {
        let known = try kept.value(db) { KnownClasses() }
        var found: [String: [String]] = [:]
        var missing: [String] = []
        known.lock.withLock {
            for key in keys {
                if let places = known.places[key] { found[key] = places } else { missing.append(key) }
            }
        }
        guard !missing.isEmpty else { return found }
        var read = try read(missing)
        for key in missing where read[key] == nil { read[key] = [] }
        known.lock.withLock { known.places.merge(read) { _, new in new } }
        return found.merging(read) { _, new in new }
    }
}

/// What a database's accounts are, as far as the values kept between requests (`KnownClasses`, `ImportScoped`) go:
/// its file's path, its last import (id, time, rows, file name) and its largest account id, read in the caller's own
/// transaction. Only an import changes the accounts' names, classes and structures, and every import adds its
/// `import_run` row; the largest id covers a test's accounts written without an import.
enum DataVersion {
    static func read(_ db: Database) throws -> (file: String, version: String) {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT (SELECT file FROM pragma_database_list WHERE name = 'main'),
                      coalesce((SELECT id || ' ' || imported_at || ' ' || rows || ' ' || file_name
                                FROM import_run ORDER BY id DESC LIMIT 1), '')
                      || ' ' || coalesce((SELECT max(id) FROM account), 0)
                    """))
        return (row?[0] ?? "", row?[1] ?? "")
    }
}

/// A value computed from the accounts, kept per database file until its data change (`DataVersion`): a value is used
/// only by a transaction that reads the same version (the batch screen's class rows; `KnownClasses`, filled a class
/// at a time).
final class ImportScoped<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `byFile` is used only with `lock` held.
    private let lock = NSLock()
    private var byFile: [String: (version: String, value: Value)] = [:]

    func value(_ db: Database, compute: () throws -> Value) throws -> Value {
        let (file, version) = try DataVersion.read(db)
        guard !file.isEmpty else { return try compute() }  // in memory: nothing tells two apart
        if let kept = lock.withLock({ byFile[file].flatMap { $0.version == version ? $0.value : nil } }) { return kept }
        let value = try compute()
        lock.withLock {
            if byFile.count >= 16 && byFile[file] == nil { byFile.removeAll() }  // one entry a database file
            byFile[file] = (version, value)
        }
        return value
    }
}
