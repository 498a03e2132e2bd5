import Foundation
import SQLiteBulk

/// An export read whole and checked row by row before anything touches the database.
public struct ExportFile: Sendable {
    public let name: String
    public let kind: ExportKind
    public let encoding: SourceEncoding
    public let separator: Character
    /// When the ENT wrote the data: the file's modification time, the best date we have of the export.
    public let dataDate: Date
    var accounts: [ImportedAccount]

    public var rowCount: Int { accounts.count }

    /// Reads and checks the file at `path`.
    public static func read(path: String) throws(ImportError) -> ExportFile {
        let bytes: [UInt8]
        let modified: Date
        do {
            bytes = try readBytes(path)
            modified = (try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        } catch {
            throw ImportError(file: path, line: nil, problem: .unreadable(reason: error.localizedDescription))
        }
        // Handed over: a copy kept here made the decoder's in-place removal of the BOM copy the whole file.
        return try parse(bytes: consume bytes, name: path, dataDate: modified)
    }

    /// The file's bytes, read once into the array the parser keeps: `Data(contentsOf:)` then `[UInt8](data)` held
    /// two copies of a 220 MB export at once.
    private static func readBytes(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { fclose(file) }
        guard fseeko(file, 0, SEEK_END) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let size = Int(ftello(file))
        rewind(file)
        var bytes = [UInt8](repeating: 0, count: size)
        let filled = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, file) }
        if ferror(file) != 0 { throw POSIXError(.EIO) }
        if filled < size { bytes.removeLast(size - filled) }  // the file shrank while it was read: parse what is there
        return bytes
    }

    /// Parses an export held in memory; `name` names it in errors.
    public static func parse(bytes: consuming [UInt8], name: String, dataDate: Date = Date()) throws(ImportError) -> ExportFile {
        // The file's bytes go when `parsePieces` returns: the rows are joined and checked after, with 225 MB less held
        // at a million rows.
        var (parsed, kind, encoding, separator) = try parsePieces(consume bytes, name: name)
        // The rows up to the first bad one, in file order: a duplicate before it is the first error of the file. Each
        // piece is let go once appended, so the rows are held about once, not twice, while they are joined.
        var accounts: [ImportedAccount] = []
        accounts.reserveCapacity(parsed.reduce(0) { $0 + $1.rows.count })
        var firstError: ImportError?
        for k in parsed.indices {
            accounts += parsed[k].rows
            parsed[k].rows = []
            if let error = parsed[k].error { firstError = error; break }
        }
        let rows = accounts
        let duplicates = Parallel.map(2) { k in
            k == 0 ? firstDuplicateLogin(rows, file: name) : firstDuplicateId(rows, file: name)
        }
        if let error = ([firstError] + duplicates).compactMap({ $0 }).min(by: { ($0.line ?? 0) < ($1.line ?? 0) }) {
            throw error
        }
        guard !accounts.isEmpty else { throw ImportError(file: name, line: nil, problem: .noRows) }
        return ExportFile(
            name: name, kind: kind, encoding: encoding, separator: Character(UnicodeScalar(separator)),
            dataDate: dataDate, accounts: accounts)
    }

    /// The rows of each piece of the file, cut at line feeds and parsed on every core (no value spans lines), each with
    /// the error that stopped it, if any; the export's kind, encoding and separator.
    private static func parsePieces(_ bytes: consuming [UInt8], name: String) throws(ImportError) -> (
        [(rows: [ImportedAccount], error: ImportError?)], ExportKind, SourceEncoding, UInt8
    ) {
        let (utf8, encoding) = try TextDecoding.decode(consume bytes, file: name)
        if utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw ImportError(file: name, line: nil, problem: .emptyFile)
        }
        let separator = try detectSeparator(utf8, file: name)
        let reader = CSVReader(bytes: utf8, separator: separator, file: name)
        guard let header = try reader.firstRecord() else { throw ImportError(file: name, line: nil, problem: .emptyFile) }
        let map = try ColumnMap(header: header.fields, file: name, line: header.line)
        var cuts = [header.next]
        for piece in Parallel.ranges(utf8.count - header.next).dropFirst() {
            cuts.append(max(cuts.last!, reader.nextLineStart(after: header.next + piece.lowerBound - 1)))
        }
        cuts.append(utf8.count)
        let pieces = (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }
        let lineFeeds = Parallel.map(pieces.count) { reader.lineFeeds(in: pieces[$0]) }
        var lines = [header.line + 1]
        for k in 0..<(pieces.count - 1) { lines.append(lines[k] + lineFeeds[k]) }
        let firstLines = lines
        let parsed = Parallel.map(pieces.count) { k in
            // Each piece's bytes are given back once parsed: nothing reads them again, and held whole beside the
            // rows the file was 225 MB of a million-row import's peak.
            defer { utf8.withUnsafeBytes { FreePages.discard(UnsafeRawBufferPointer(rebasing: $0[pieces[k]])) } }
            var rows: [ImportedAccount] = []
            rows.reserveCapacity(lineFeeds[k] + 1)
            var lists: [String: [String]] = [:]
            do throws(ImportError) {
                try reader.forEachRecord(in: pieces[k], firstLine: firstLines[k]) { (line, fields) throws(ImportError) in
                    rows.append(try map.account(from: fields, line: line, file: name, lists: &lists))
                }
                return (rows: rows, error: nil as ImportError?)
            } catch {
                return (rows: rows, error: error)
            }
        }
        return (parsed, map.kind, encoding, separator)
    }

    /// The first row whose login (in any case) an earlier row already has.
    private static func firstDuplicateLogin(_ accounts: [ImportedAccount], file: String) -> ImportError? {
        var lineOfLogin: [String: Int] = [:]
        lineOfLogin.reserveCapacity(accounts.count)
        // Through a buffer: `for account in accounts` copied each row whole (some twenty retains) to read two fields.
        return accounts.withUnsafeBufferPointer { accounts in
            for i in accounts.indices {
                let key = accounts[i].login.lowercased()
                if let first = lineOfLogin[key] {
                    return ImportError(
                        file: file, line: accounts[i].line, problem: .duplicateLogin(accounts[i].login, firstLine: first))
                }
                lineOfLogin[key] = accounts[i].line
            }
            return nil
        }
    }

    /// The first row whose ENT id an earlier row already has.
    private static func firstDuplicateId(_ accounts: [ImportedAccount], file: String) -> ImportError? {
        var lineOfId: [String: Int] = [:]
        lineOfId.reserveCapacity(accounts.count)
        return accounts.withUnsafeBufferPointer { accounts in
            for i in accounts.indices {
                guard let id = accounts[i].entId else { continue }
                if let first = lineOfId[id] {
                    return ImportError(file: file, line: accounts[i].line, problem: .duplicateId(id, firstLine: first))
                }
                lineOfId[id] = accounts[i].line
            }
            return nil
        }
    }

    /// `;` unless the header reads better split on `,` (a spreadsheet's re-save).
    private static func detectSeparator(_ bytes: [UInt8], file: String) throws(ImportError) -> UInt8 {
        var end = 0
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        let header = Array(bytes[..<end])
        var best: (separator: UInt8, score: Int) = (UInt8(ascii: ";"), -1)
        for separator in [UInt8(ascii: ";"), UInt8(ascii: ",")] {
            var fields: [String] = []
            let reader = CSVReader(bytes: header, separator: separator, file: file)
            try? reader.forEachRecord { (_, f) throws(ImportError) in fields = f }
            let score = ColumnMap.score(fields)
            if score > best.score { best = (separator, score) }
        }
        return best.separator
    }
}
