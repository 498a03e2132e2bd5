import Foundation
import GRDB
import Testing

@testable import Guichet

/// A database left by an older release (only its first migrations run) and opened by today's code ends with the
/// schema a fresh one has, `schema.sql`: no migration depends on live code that changed since it shipped. Its journal
/// from before the key is keyed from a stated row once, after migrating (`Journal.writeKeyingPoint`), and verifies.
@Suite struct SchemaUpgradeTests {
    let folder: URL
    var path: String { folder.appendingPathComponent("old.sqlite3").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// The file's text, as `SchemaFileTests` reads it.
    static var schemaFile: String { (try? String(contentsOf: SchemaFileTests.file, encoding: .utf8)) ?? "" }

    /// A database at `version` (the migrations up to it, nothing after), with three journal rows as a release before
    /// the key wrote them (SHA-256 chained) when it has a journal. A bare connection: no SQL function of the live code
    /// is installed, so a migration that called one fails here.
    func makeOld(upTo version: String) throws {
        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: version)
        try old.write { db in
            if try db.tableExists("journal") { try JournalFixture.insertUnkeyed(db, count: 3) }
        }
        try old.close()
    }

    // v12-journal-keyed is also a crash after the migration committed, before the keying point was written.
    @Test(arguments: [
        "v1-accounts", "v1-journal", "v2-name-pairs", "v4-journal-retention", "v6-mail", "v8-import-fingerprint",
        "v9-account-indexes", "v11-staff-sessions", "v12-journal-keyed"
    ])
    func anOlderDatabaseMigratedTodayHasTheSchemaFile(version: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try makeOld(upTo: version)
        let upgraded = try GuichetDatabase(path: path, access: .command)
        let schema = try upgraded.writer.read { try SchemaFileTests.dump($0) }
        if schema != Self.schemaFile {
            let diff = try SchemaFileTests.diff(Self.schemaFile, schema, in: folder)
            Issue.record("upgraded from \(version); diff file → upgraded:\n\(diff)")
        }
        let hadJournal = version != "v1-accounts"
        let verified = try upgraded.verifyJournal()
        #expect(verified.headSeq == (hadJournal ? 4 : 0))
        if hadJournal {
            // Keyed from the row after the old head, which states it: v12 made the table, the live code the row.
            let keyed = try upgraded.writer.read { db in
                try Row.fetchOne(db, sql: "SELECT action, details FROM journal WHERE seq = 4")
            }
            #expect(keyed?["action"] == "journal-keyed" && keyed?["details"] == #"{"fromSeq":4}"#)
        }
        // Opening again writes nothing more: the keying point is written once.
        let again = try GuichetDatabase(path: path, access: .command)
        #expect(try again.verifyJournal().headSeq == verified.headSeq)
        #expect(try again.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM journal_keying") } == 1)
    }

    /// A large import drops `account`'s indexes and builds them again with `AccountIndexes.create`, live code that
    /// must make what migration v9 made.
    @Test func rebuildingTheAccountIndexesKeepsTheSchemaFile() throws {
        let t = try TemporaryDatabase()
        try t.database.writer.write { db in
            try AccountIndexes.drop(db)
            try AccountIndexes.create(db)
        }
        #expect(try t.database.writer.read { try SchemaFileTests.dump($0) } == Self.schemaFile)
    }
}
