import Foundation
import GRDB
import Testing

@testable import Guichet

/// Migrations only mark the search index stale (DerivedData); the live code rebuilds it after migrating. A database
/// left at an older schema, with accounts, ends with the index a fresh import writes.
@Suite struct DerivedDataTests {
    /// The family export, plus an alias, compound names and a name two letters from another (tolerance rows).
    static var export: ENTExport {
        var e = ENTExport.family
        e.add(
            id: "20", type: "Student", last: "De La Fontaine", first: "Jean-Pierre", login: "jeanpierre.delafontaine",
            alias: "jp.fontaine", classes: "1ERE G1", parents: "Marie Anne De La Fontaine")
        e.add(
            id: "21", type: "Relative", last: "De La Fontaine", first: "Marie Anne", login: "marieanne.delafontaine",
            classes: "1ERE G1", children: "Jean-Pierre De La Fontaine")
        e.add(id: "22", type: "Student", last: "Gerrard", first: "Zoë", login: "zoe.gerrard", classes: "2NDE 1")
        return e
    }

    static let derivedTables = ["search_term", "name_pair", "account_class", "name_vocabulary", "name_sound", "name_deletion"]

    /// The account's derived columns and every row of the index, in a stable order, as text.
    static func derived(_ db: Database) throws -> [String: [String]] {
        var out = [
            "account": try String.fetchAll(
                db, sql: "SELECT login || '|' || sort_key || '|' || search_text || '|' || name_words FROM account ORDER BY login")
        ]
        for table in derivedTables {
            out[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { "\($0)" }.sorted()
        }
        return out
    }

    /// Makes a database at `version` whose accounts are those `fresh` imported, with stale derived columns and an
    /// empty index (what an older release's derivation left), then opens it with today's code.
    static func upgraded(from version: String, copying fresh: TemporaryDatabase) throws -> [String: [String]] {
        let folder = fresh.folder.appendingPathComponent("old")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("old.sqlite3").path
        do {
            let configuration = GuichetDatabase.configuration(
                secret: DatabaseSecret(databasePath: path), witness: JournalWitness(databasePath: path), busyTimeout: 5)
            let old = try DatabaseQueue(path: path, configuration: configuration)
            try Schema.migrator.migrate(old, upTo: version)
            try old.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS fresh", arguments: [fresh.path])
                try db.inTransaction {
                    try db.execute(
                        sql: """
                            INSERT INTO account SELECT * FROM fresh.account;
                            UPDATE account SET sort_key = '', search_text = ' ', name_words = '[[],[]]';
                            PRAGMA user_version = 0;
                            """)
                    return .commit
                }
                try db.execute(sql: "DETACH DATABASE fresh")
            }
            #expect(try old.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM search_term") } == 0)
        }
        let upgraded = try GuichetDatabase(path: path, access: .command)
        #expect(try upgraded.writer.read { try DerivedData.marker($0) } == 0)
        return try upgraded.writer.read { try derived($0) }
    }

    @Test(arguments: ["v9-account-indexes", "v12-journal-keyed"])
    func aDatabaseAtAnOlderSchemaEndsWithTheIndexOfAFreshImport(version: String) throws {
        let fresh = try TemporaryDatabase()
        try fresh.importCSV(Self.export.text)
        let expected = try fresh.database.writer.read { try Self.derived($0) }
        #expect(expected["name_sound"]?.isEmpty == false && expected["name_deletion"]?.isEmpty == false)
        let upgraded = try Self.upgraded(from: version, copying: fresh)
        for (table, rows) in expected {
            #expect(upgraded[table] == rows, "\(table) after upgrading from \(version)")
        }
    }

    /// A crash after a migration committed its mark but before the rebuild committed: the next open rebuilds.
    @Test func aMarkLeftByACrashIsRebuiltAtTheNextOpenAndCleared() throws {
        let fresh = try TemporaryDatabase()
        try fresh.importCSV(Self.export.text)
        let expected = try fresh.database.writer.read { try Self.derived($0) }
        try fresh.database.writer.write { db in
            try db.execute(
                sql: """
                    DELETE FROM search_term; DELETE FROM name_sound; UPDATE account SET search_text = ' ';
                    PRAGMA user_version = 1;
                    """)
        }
        let reopened = try GuichetDatabase(path: fresh.path, access: .command)
        #expect(try reopened.writer.read { try Self.derived($0) } == expected)
        #expect(try reopened.writer.read { try DerivedData.marker($0) } == 0)
        #expect(try fresh.logins("jp.fontaine") == ["jeanpierre.delafontaine"])
    }
}
