import GRDB

/// Rows written by binding values by position, whatever the statement: what a row writer (an account, an index
/// row) binds.
public protocol BulkBinding {
    func bind(_ index: Int32, _ text: String?) throws
    func bind(_ index: Int32, borrowing bytes: UnsafeRawBufferPointer) throws
    func bind(_ index: Int32, _ value: Int64) throws
    /// Writes the row bound so far (or collects it, to write several at once).
    func endRow() throws
    /// Writes what `endRow` collected.
    func finish() throws
}

extension BulkStatement: BulkBinding {
    /// One row per run: the statement runs now.
    public func endRow() throws { try execute() }

    /// Nothing is ever collected.
    public func finish() {}
}

/// Inserts rows many at a time: `INSERT INTO t (a, b) VALUES (?, ?), (?, ?), …`.
///
/// Each run of a statement opens and closes its table's cursors and allocates its record, and Debian's SQLite
/// (built without lookaside memory) takes its global memory mutex for every allocation: one row per statement made
/// writing 8 million index rows four times slower than the same rows inserted by one `INSERT … SELECT`.
/// Rows are collected and written `rowsPerStatement` at a time; `finish()` writes the rest.
public final class BulkInsert: BulkBinding {
    private let db: Database
    private let head: String
    private let columns: Int
    private let rowsPerStatement: Int
    private var full: BulkStatement?
    /// The current rows' values, by parameter (row × columns + column − 1).
    private var values: [Value] = []
    private var texts: [UInt8] = []
    private var rows = 0

    private enum Value {
        case null
        case integer(Int64)
        /// Bytes in `texts`.
        case text(offset: Int, count: Int)
        /// Bytes the caller keeps alive until `finish()`.
        case borrowed(UnsafeRawBufferPointer)
    }

    /// `verb` is `INSERT` or `INSERT OR IGNORE`; `columns` are bound 1…n for each row.
    public init(_ db: Database, _ verb: String = "INSERT", into table: String, columns: [String], rowsPerStatement: Int = 64) {
        self.db = db
        head = "\(verb) INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        self.columns = columns.count
        self.rowsPerStatement = rowsPerStatement
        values = Array(repeating: .null, count: columns.count)
    }

    private func set(_ column: Int32, _ value: Value) {
        precondition(column >= 1 && Int(column) <= columns, "column \(column) of \(columns)")   // a bug here
        values[rows * columns + Int(column) - 1] = value
    }

    public func bind(_ column: Int32, _ text: String?) throws {
        guard let text else { return set(column, .null) }
        let range = texts.appendUTF8(of: text)
        set(column, .text(offset: range.lowerBound, count: range.count))
    }

    public func bind(_ column: Int32, borrowing bytes: UnsafeRawBufferPointer) throws {
        set(column, .borrowed(bytes))
    }

    public func bind(_ column: Int32, _ value: Int64) throws {
        set(column, .integer(value))
    }

    /// Ends the current row; writes the collected rows when there are `rowsPerStatement` of them.
    public func endRow() throws {
        rows += 1
        if rows == rowsPerStatement {
            if full == nil { full = try statement(rows: rowsPerStatement) }
            try write(full!)
        } else {
            values.append(contentsOf: repeatElement(.null, count: columns))
        }
    }

    /// Writes the rows collected since the last full statement.
    public func finish() throws {
        guard rows > 0 else { return }
        try write(try statement(rows: rows))
    }

    private func statement(rows: Int) throws -> BulkStatement {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return try BulkStatement(db, sql: head + Array(repeating: row, count: rows).joined(separator: ", "))
    }

    private func write(_ statement: BulkStatement) throws {
        try texts.withUnsafeBytes { texts in
            for (k, value) in values.prefix(rows * columns).enumerated() {
                let index = Int32(k + 1)
                switch value {
                case .null: try statement.bind(index, nil as String?)
                case .integer(let v): try statement.bind(index, v)
                case .text(let offset, let count):
                    try statement.bind(index, borrowing: UnsafeRawBufferPointer(rebasing: texts[offset..<(offset + count)]))
                case .borrowed(let bytes): try statement.bind(index, borrowing: bytes)
                }
            }
            try statement.execute()
        }
        rows = 0
        texts.removeAll(keepingCapacity: true)
        values = Array(repeating: .null, count: columns)
    }
}
