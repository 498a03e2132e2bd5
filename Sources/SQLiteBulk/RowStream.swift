import GRDB
import GRDBSQLite
import Foundation

/// Rows produced in Swift and inserted by one `INSERT … SELECT … FROM guichet_rows(?)`: a table-valued virtual table
/// (like SQLite's own `carray`) whose cursor asks the stream for each row in turn.
///
/// Measured at a million accounts on this machine: SQLite inserts a million account rows by `INSERT … SELECT` from
/// another table in 0.65 s, and 6.7M index rows in 1.6 s; binding the same rows 32 or 64 at a time into multi-row
/// `INSERT` statements took 3.1 s and 3.3 s (each run of a statement binds, steps, resets and clears every
/// parameter). The stream hands SQLite pointers into its own staging buffer (no copy by SQLite, no allocation) and
/// the statement runs once. Hand-written because GRDB has no virtual-table support.
public final class RowStream: BulkBinding {
    /// The most columns a stream may have (the virtual table declares `c1` … `c32`).
    public static let maxColumns = 32

    private let columns: Int
    private let produce: (RowStream) throws -> Bool
    /// What the producer threw: the cursor ends there, and `insert` throws it.
    private var failure: (any Error)?
    // The current row, in memory of its own: a class's array properties are checked for exclusive access at every
    // write (measured: a fifth of the time of streaming 7M index rows).
    private let values: UnsafeMutablePointer<Value>
    private var texts: UnsafeMutablePointer<UInt8>
    private var textsCapacity = 4096
    private var textsUsed = 0

    private enum Value {
        case null
        case integer(Int64)
        /// Bytes in `texts`.
        case text(offset: Int, count: Int)
        /// Bytes the producer keeps alive until its next row.
        case borrowed(UnsafeRawBufferPointer)
    }

    /// `produce` binds the next row's columns (1…`columns`) and returns true, or returns false at the end.
    public init(columns: Int, _ produce: @escaping (RowStream) throws -> Bool) {
        precondition(columns >= 1 && columns <= Self.maxColumns, "\(columns) columns")
        self.columns = columns
        self.produce = produce
        values = .allocate(capacity: columns)
        values.initialize(repeating: .null, count: columns)
        texts = .allocate(capacity: textsCapacity)
    }

    deinit {
        values.deinitialize(count: columns)
        values.deallocate()
        texts.deallocate()
    }

    /// Inserts every row of `stream` into `table`'s `columns` (in the order the producer binds them), with `verb`
    /// (`INSERT` or `INSERT OR IGNORE`).
    public static func insert(
        _ db: Database, _ verb: String = "INSERT", into table: String, columns: [String],
        rows stream: RowStream
    ) throws {
        precondition(columns.count == stream.columns, "\(columns.count) columns named, \(stream.columns) streamed")
        let select = (1...columns.count).map { "c\($0)" }.joined(separator: ", ")
        let sql = "\(verb) INTO \(table) (\(columns.joined(separator: ", "))) SELECT \(select) FROM guichet_rows(?)"
        try register(in: db)
        let statement = try BulkStatement(db, sql: sql)
        try withExtendedLifetime(stream) {
            try statement.bind(1, pointer: Unmanaged.passUnretained(stream).toOpaque(), type: RowStreamModule.pointerType)
            try statement.execute()
        }
        if let failure = stream.failure { throw failure }
    }

    // Binding, as a row writer does: the producer's calls stage the current row.

    public func bind(_ column: Int32, _ text: String?) {
        guard var text else { return set(column, .null) }
        let offset = textsUsed
        text.withUTF8 { bytes in
            if textsUsed + bytes.count > textsCapacity {
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(textsCapacity * 2, textsUsed + bytes.count))
                grown.update(from: texts, count: textsUsed)
                texts.deallocate()
                (texts, textsCapacity) = (grown, max(textsCapacity * 2, textsUsed + bytes.count))
            }
            if let base = bytes.baseAddress { (texts + textsUsed).update(from: base, count: bytes.count) }
            textsUsed += bytes.count
        }
        set(column, .text(offset: offset, count: textsUsed - offset))
    }

    public func bind(_ column: Int32, borrowing bytes: UnsafeRawBufferPointer) {
        set(column, .borrowed(bytes))
    }

    public func bind(_ column: Int32, _ value: Int64) {
        set(column, .integer(value))
    }

    private func set(_ column: Int32, _ value: Value) {
        precondition(column >= 1 && Int(column) <= columns, "column \(column) of \(columns)")  // a bug here
        values[Int(column) - 1] = value
    }

    // What the virtual table's cursor calls.

    /// Stages the next row; false at the end.
    fileprivate func advance() -> Bool {
        textsUsed = 0
        values.update(repeating: .null, count: columns)
        do {
            return try produce(self)
        } catch {
            failure = error
            return false
        }
    }

    /// Sets column `i` (from 0) of the current row as the result of `context`, without a copy: SQLite copies the
    /// bytes into its record before the cursor moves on.
    fileprivate func result(_ i: Int, _ context: OpaquePointer?) {
        guard i < columns else { return sqlite3_result_null(context) }
        switch values[i] {
        case .null: sqlite3_result_null(context)
        case .integer(let v): sqlite3_result_int64(context, v)
        case .text(let offset, let count):
            sqlite3_result_text(context, UnsafeRawPointer(texts + offset).assumingMemoryBound(to: CChar.self), Int32(count), nil)
        case .borrowed(let bytes):
            sqlite3_result_text(
                context, bytes.baseAddress?.assumingMemoryBound(to: CChar.self) ?? RowStreamModule.empty,
                Int32(bytes.count), nil)
        }
    }
}

/// The `guichet_rows` virtual table: eponymous, read-only, one hidden argument (the stream, bound as a pointer).
enum RowStreamModule {
    /// `sqlite3_bind_pointer`'s type tag: a value bound with another tag reads as NULL here.
    nonisolated(unsafe) static let pointerType = UnsafePointer<CChar>(strdup("guichet_rows")!)
    /// A text result needs a pointer even when it is empty ('' is not NULL).
    nonisolated(unsafe) static let empty = UnsafePointer<CChar>(strdup("")!)
    /// The hidden column that takes the stream.
    static let streamColumn = Int32(RowStream.maxColumns)

    /// A cursor: SQLite's base struct, then the stream and the row number.
    struct Cursor {
        var base = sqlite3_vtab_cursor()
        var stream: RowStream?
        var row: Int64 = 0
        var atEnd = true
    }

    nonisolated(unsafe) static let module: UnsafeMutablePointer<sqlite3_module> = {
        var m = sqlite3_module()
        m.iVersion = 0
        m.xCreate = nil  // eponymous only: `guichet_rows` exists in every schema without CREATE VIRTUAL TABLE
        m.xConnect = { db, _, _, _, vtab, _ in
            let columns = (1...RowStream.maxColumns).map { "c\($0)" }.joined(separator: ", ")
            let code = sqlite3_declare_vtab(db, "CREATE TABLE x(\(columns), stream HIDDEN)")
            guard code == SQLITE_OK else { return code }
            let table = UnsafeMutablePointer<sqlite3_vtab>.allocate(capacity: 1)
            table.initialize(to: sqlite3_vtab())
            vtab?.pointee = table
            return SQLITE_OK
        }
        m.xBestIndex = { _, info in
            guard let info else { return SQLITE_ERROR }
            let constraints = UnsafeBufferPointer(start: info.pointee.aConstraint, count: Int(info.pointee.nConstraint))
            if let k = constraints.firstIndex(where: {
                $0.iColumn == streamColumn && $0.op == UInt8(SQLITE_INDEX_CONSTRAINT_EQ) && $0.usable != 0
            }) {
                info.pointee.aConstraintUsage[k].argvIndex = 1
                info.pointee.aConstraintUsage[k].omit = 1
                (info.pointee.idxNum, info.pointee.estimatedCost, info.pointee.estimatedRows) = (1, 1, 1_000_000)
            } else {
                // Without its stream the table is empty: the planner must not choose this.
                (info.pointee.idxNum, info.pointee.estimatedCost, info.pointee.estimatedRows) = (0, 1e300, Int64.max)
            }
            return SQLITE_OK
        }
        m.xDisconnect = { vtab in
            vtab?.deinitialize(count: 1)
            vtab?.deallocate()
            return SQLITE_OK
        }
        m.xOpen = { _, cursor in
            let c = UnsafeMutablePointer<Cursor>.allocate(capacity: 1)
            c.initialize(to: Cursor())
            cursor?.pointee = UnsafeMutableRawPointer(c).assumingMemoryBound(to: sqlite3_vtab_cursor.self)
            return SQLITE_OK
        }
        m.xClose = { cursor in
            let c = UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: Cursor.self)
            c.deinitialize(count: 1)
            c.deallocate()
            return SQLITE_OK
        }
        m.xFilter = { cursor, idxNum, _, argc, argv in
            let c = UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: Cursor.self)
            c.pointee.stream = nil
            if idxNum == 1, argc == 1, let pointer = sqlite3_value_pointer(argv![0], pointerType) {
                c.pointee.stream = Unmanaged<RowStream>.fromOpaque(pointer).takeUnretainedValue()
            }
            c.pointee.row = 0
            c.pointee.atEnd = !(c.pointee.stream?.advance() ?? false)
            return SQLITE_OK
        }
        m.xNext = { cursor in
            let c = UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: Cursor.self)
            c.pointee.row += 1
            c.pointee.atEnd = !c.pointee.stream!.advance()
            return SQLITE_OK
        }
        m.xEof = { cursor in
            UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: Cursor.self).pointee.atEnd ? 1 : 0
        }
        m.xColumn = { cursor, context, i in
            let c = UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: Cursor.self)
            if i == streamColumn { sqlite3_result_null(context) } else { c.pointee.stream!.result(Int(i), context) }
            return SQLITE_OK
        }
        m.xRowid = { cursor, rowid in
            rowid?.pointee = UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: Cursor.self).pointee.row
            return SQLITE_OK
        }
        let pointer = UnsafeMutablePointer<sqlite3_module>.allocate(capacity: 1)
        pointer.initialize(to: m)
        return pointer
    }()

    /// Makes `guichet_rows` known to `connection`.
    static func register(_ connection: OpaquePointer) throws {
        try checkRegistration(sqlite3_create_module_v2(connection, "guichet_rows", module, nil, nil), connection)
    }

    /// `sqlite3_create_module_v2`'s result code as an error carrying the code and the connection's message (rule 4).
    /// It fails on a lack of memory, or on misuse when SQLite is built with its API armour.
    static func checkRegistration(_ code: Int32, _ connection: OpaquePointer) throws {
        guard code == SQLITE_OK else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: "sqlite3_create_module_v2(guichet_rows): " + String(cString: sqlite3_errmsg(connection)))
        }
    }
}

extension RowStream {
    /// Makes `guichet_rows` known to `db`'s connection unless it already is; true when it registered it now.
    ///
    /// Once per connection, never again: registering a module under a name it already has replaces it and drops its
    /// eponymous table, which a statement of this connection may be reading. SQLite offers no per-connection state to
    /// remember it by (`sqlite3_set_clientdata` is 3.44; Debian 12 has 3.40), and a connection's address may be
    /// reused by the next one, so the connection itself is asked: preparing a read of the table fails until then.
    @discardableResult
    public static func register(in db: Database) throws -> Bool {
        if (try? db.makeStatement(sql: "SELECT c1 FROM guichet_rows")) != nil { return false }
        try RowStreamModule.register(db.sqliteConnection!)
        return true
    }
}

extension BulkStatement {
    /// Binds `pointer` with its type tag (`sqlite3_bind_pointer`): only SQL functions and virtual tables that ask
    /// for this tag can read it; to SQL it is NULL.
    func bind(_ index: Int32, pointer: UnsafeMutableRawPointer, type: UnsafePointer<CChar>) throws {
        try check(sqlite3_bind_pointer(handle, index, pointer, type, nil), "sqlite3_bind_pointer")
    }
}
