import GRDB
import GRDBSQLite

/// Values bound by position, whatever receives them: a statement run once per row, or a stream's current row. What a
/// row (an account) binds once serves both.
public protocol BulkBinding {
    func bind(_ index: Int32, _ text: String?) throws
    func bind(_ index: Int32, borrowing bytes: UnsafeRawBufferPointer) throws
    func bind(_ index: Int32, _ value: Int64) throws
}

/// A prepared statement bound and stepped straight through SQLite's C API, for the import's tens of millions of
/// values: GRDB's `execute(arguments:)` boxes every value in a `DatabaseValue` and copies it again when binding,
/// which was a third of a million-row import.
///
/// GRDB still owns the `sqlite3_stmt` (its `Statement` finalizes it in `deinit`) and the connection; use a bulk
/// statement only inside the `Database` closure that made it, like any GRDB statement. Errors are GRDB's
/// `DatabaseError`, with SQLite's code and message and the SQL, so callers handle them as any other.
public final class BulkStatement: BulkBinding {
    private let statement: Statement
    let handle: OpaquePointer
    private let connection: OpaquePointer
    private let sql: String
    /// Texts bound by copy, end to end, and where each goes: bound when the statement runs.
    private var staged: [UInt8] = []
    private var stagedTexts: [(index: Int32, offset: Int, count: Int)] = []

    public init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        // A `Database` in its closure always has an open connection.
        connection = db.sqliteConnection!
        self.sql = sql
    }

    /// Binds UTF-8 bytes that the caller keeps alive and unchanged until the next `execute()` or `step()`:
    /// SQLITE_STATIC, "the content pointer is constant and will never change" (sqlite3_bind_text), so no copy.
    public func bind(_ index: Int32, borrowing bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return try bindEmpty(index) }
        try check(
            sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil),
            "sqlite3_bind_text")
    }

    /// Binds a copy of `text`, or NULL. The text is copied into this statement's own buffer and bound from there
    /// when the statement runs (SQLITE_STATIC): SQLite's own copy (SQLITE_TRANSIENT) is one `malloc` per value,
    /// each behind SQLite's global memory mutex in Debian's build, and an account row has 24 texts.
    public func bind(_ index: Int32, _ text: String?) throws {
        guard let text else { return try check(sqlite3_bind_null(handle, index), "sqlite3_bind_null") }
        let range = staged.appendUTF8(of: text)
        stagedTexts.append((index, range.lowerBound, range.count))
    }

    /// Binds the texts `bind(_:_:)` staged, then runs `body` while they stay valid, then forgets them.
    private func withStaged<T>(_ body: () throws -> T) throws -> T {
        defer {
            staged.removeAll(keepingCapacity: true)
            stagedTexts.removeAll(keepingCapacity: true)
        }
        return try staged.withUnsafeBytes { buffer in
            for (index, offset, count) in stagedTexts {
                try bind(index, borrowing: UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)]))
            }
            return try body()
        }
    }

    /// '' (a NULL pointer would bind SQL NULL).
    private func bindEmpty(_ index: Int32) throws {
        try check("".withCString { sqlite3_bind_text(handle, index, $0, 0, Self.transient) }, "sqlite3_bind_text")
    }

    public func bind(_ index: Int32, _ value: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, value), "sqlite3_bind_int64")
    }

    /// Runs the statement to completion and readies it for the next bindings.
    public func execute() throws {
        let code = try withStaged { sqlite3_step(handle) }
        sqlite3_reset(handle)
        // No value may outlive its row: the next row binds its own, or NULL.
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Runs a query and calls `body` with each row; the row is valid only during the call.
    public func forEachRow(_ body: (BulkRow) throws -> Void) throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try withStaged {
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else { throw error(code) }
                try body(BulkRow(handle: handle))
            }
        }
    }

    func check(_ code: Int32, _ function: String) throws {
        guard code == SQLITE_OK else { throw error(code, function: function) }
    }

    private func error(_ code: Int32, function: String? = nil) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(connection))
        return DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: function.map { "\($0): \(message)" } ?? message, sql: sql)
    }

    /// "If the fifth argument has the value SQLITE_TRANSIENT, then SQLite makes its own private copy of the data
    /// immediately" (sqlite3_bind_text). The C macro is `((sqlite3_destructor_type)-1)`, which Swift cannot import.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// One row of a `BulkStatement` query, read in place.
public struct BulkRow {
    fileprivate let handle: OpaquePointer

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column's text, or nil when it is NULL.
    public func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return String(
            decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))),
            as: UTF8.self)
    }
}

extension [UInt8] {
    /// Appends `text`'s UTF-8 bytes (without a copy of the string when it is native) and returns where they went.
    mutating func appendUTF8(of text: String) -> Range<Int> {
        let start = count
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil { append(contentsOf: Array(text.utf8)) }
        return start..<count
    }
}
