import GRDB
@testable import SQLiteBulk
import Testing

/// `guichet_rows`, the virtual table that streams rows from Swift into one `INSERT … SELECT`.
@Suite struct RowStreamTests {
    /// A stream of the numbers 1…`count`.
    static func numbers(_ count: Int64) -> RowStream {
        var n: Int64 = 0
        return RowStream(columns: 1) { row in
            guard n < count else { return false }
            n += 1
            row.bind(1, n)
            return true
        }
    }

    @Test func theModuleIsRegisteredByTheFirstInsertOfAConnectionAndServesEveryLaterOne() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t(a INTEGER)")
            #expect(throws: DatabaseError.self) { try db.execute(sql: "SELECT c1 FROM guichet_rows") }  // not yet
            try RowStream.insert(db, into: "t", columns: ["a"], rows: Self.numbers(3))
            try db.execute(sql: "SELECT c1 FROM guichet_rows")  // known now
            try RowStream.insert(db, into: "t", columns: ["a"], rows: Self.numbers(2))
            #expect(try Int64.fetchAll(db, sql: "SELECT a FROM t ORDER BY rowid") == [1, 2, 3, 1, 2])
        }
        // Another connection has its own modules: its first insert registers it there.
        let other = try DatabaseQueue()
        try other.write { db in
            try db.execute(sql: "CREATE TABLE t(a INTEGER)")
            try RowStream.insert(db, into: "t", columns: ["a"], rows: Self.numbers(1))
            #expect(try Int64.fetchOne(db, sql: "SELECT count(*) FROM t") == 1)
        }
    }

    @Test func theModuleIsRegisteredOncePerConnection() throws {
        // A second registration would replace the module and drop the table a running statement may read.
        for _ in 0..<2 {  // each connection registers it once, on its first call
            let queue = try DatabaseQueue()
            try queue.write { db in
                #expect(try RowStream.register(in: db))
                #expect(try !RowStream.register(in: db))
                try db.execute(sql: "CREATE TABLE t(a INTEGER)")
                try RowStream.insert(db, into: "t", columns: ["a"], rows: Self.numbers(2))
                #expect(try !RowStream.register(in: db))
            }
        }
    }

    @Test func aFailedRegistrationThrowsSQLitesCodeAndNamesTheCall() throws {
        // sqlite3_create_module_v2 fails only without memory (or misused under API armour, which Debian's build
        // lacks), so its result is checked through the same function the registration calls.
        let queue = try DatabaseQueue()
        try queue.inDatabase { db in
            let connection = db.sqliteConnection!
            try RowStreamModule.checkRegistration(ResultCode.SQLITE_OK.rawValue, connection)
            do {
                try RowStreamModule.checkRegistration(ResultCode.SQLITE_NOMEM.rawValue, connection)
                Issue.record("SQLITE_NOMEM accepted")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_NOMEM)
                #expect(error.message?.hasPrefix("sqlite3_create_module_v2(guichet_rows)") == true)
            }
        }
    }

    @Test func whatTheProducerThrowsEndsTheInsertAndIsThrown() throws {
        struct Stop: Error {}
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t(a INTEGER)")
            #expect(throws: Stop.self) {
                try RowStream.insert(db, into: "t", columns: ["a"], rows: RowStream(columns: 1) { _ in throw Stop() })
            }
        }
    }
}
