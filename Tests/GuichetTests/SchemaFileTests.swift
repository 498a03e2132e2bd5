import Foundation
import GRDB
import Testing

@testable import Guichet

/// `Sources/Guichet/Storage/schema.sql` is the schema every migration leads to, as SQLite reports it: what a reader
/// opens instead of replaying every migration in their head. This test migrates an empty database and compares;
/// `GUICHET_WRITE_SCHEMA=1 swift test --filter SchemaFileTests` writes the file again after a new migration.
@Suite struct SchemaFileTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Guichet/Storage/schema.sql")

    static let preamble = """
        -- The schema of a Guichet database after every migration of Schema.swift, as SQLite reports it (sqlite_master:
        -- tables, indexes, triggers, views; each table followed by its own), for reading. Written, never edited:
        -- GUICHET_WRITE_SCHEMA=1 swift test --filter SchemaFileTests (Tests/GuichetTests/SchemaFileTests.swift checks
        -- it against a migrated empty database). The owners and invariants of each table: Schema.swift's header.

        """

    /// Each object's SQL, one statement per entry, in a stable order: a table, then its indexes and triggers.
    static func dump(_ db: Database) throws -> String {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT type, name, tbl_name, sql FROM sqlite_master
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
                ORDER BY tbl_name, type <> 'table', type, name
                """)
        return preamble + "\n"
            + rows.map { "-- \($0["type"] as String) \($0["name"] as String)\n\($0["sql"] as String);\n" }
            .joined(separator: "\n")
    }

    @Test func theSchemaFileIsTheMigratedSchema() throws {
        let temporary = try TemporaryDatabase()
        let actual = try temporary.database.writer.read { try Self.dump($0) }
        if ProcessInfo.processInfo.environment["GUICHET_WRITE_SCHEMA"] == "1" {
            try actual.write(to: Self.file, atomically: true, encoding: .utf8)
        }
        let expected = (try? String(contentsOf: Self.file, encoding: .utf8)) ?? ""
        // Issue.record, not #expect: the diff says what changed; the two whole texts would bury it.
        if actual != expected {
            Issue.record(
                """
                \(Self.file.path) is not the migrated schema (regenerate it with GUICHET_WRITE_SCHEMA=1 swift test \
                --filter SchemaFileTests); diff file → migrated:
                \(try Self.diff(expected, actual, in: temporary.folder))
                """)
        }
    }

    /// `diff -u` of the two texts: the lines that differ, with their line numbers in the file.
    static func diff(_ old: String, _ new: String, in folder: URL) throws -> String {
        let (a, b) = (folder.appendingPathComponent("schema.sql"), folder.appendingPathComponent("migrated.sql"))
        try old.write(to: a, atomically: true, encoding: .utf8)
        try new.write(to: b, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-u", a.path, b.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}
