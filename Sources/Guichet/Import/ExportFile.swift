import Foundation

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
        let url = URL(fileURLWithPath: path)
        let data: Data
        let modified: Date
        do {
            data = try Data(contentsOf: url)
            modified = (try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        } catch {
            throw ImportError(file: path, line: nil, problem: .unreadable(reason: error.localizedDescription))
        }
        return try parse(bytes: [UInt8](data), name: path, dataDate: modified)
    }

    /// Parses an export held in memory; `name` names it in errors.
    public static func parse(bytes: [UInt8], name: String, dataDate: Date = Date()) throws(ImportError) -> ExportFile {
        let (utf8, encoding) = try TextDecoding.decode(bytes, file: name)
        if utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw ImportError(file: name, line: nil, problem: .emptyFile)
        }
        let separator = try detectSeparator(utf8, file: name)
        var columns: ColumnMap?
        var accounts: [ImportedAccount] = []
        var lineOfLogin: [String: Int] = [:]
        var lineOfId: [String: Int] = [:]
        try CSVReader(bytes: utf8, separator: separator, file: name).forEachRecord { (line, fields) throws(ImportError) in
            guard let map = columns else {
                columns = try ColumnMap(header: fields, file: name, line: line)
                return
            }
            let account = try map.account(from: fields, line: line, file: name)
            let loginKey = account.login.lowercased()
            if let first = lineOfLogin[loginKey] {
                throw ImportError(file: name, line: line, problem: .duplicateLogin(account.login, firstLine: first))
            }
            lineOfLogin[loginKey] = line
            if let id = account.entId {
                if let first = lineOfId[id] {
                    throw ImportError(file: name, line: line, problem: .duplicateId(id, firstLine: first))
                }
                lineOfId[id] = line
            }
            accounts.append(account)
        }
        guard let map = columns else { throw ImportError(file: name, line: nil, problem: .emptyFile) }
        guard !accounts.isEmpty else { throw ImportError(file: name, line: nil, problem: .noRows) }
        return ExportFile(name: name, kind: map.kind, encoding: encoding, separator: Character(UnicodeScalar(separator)),
                          dataDate: dataDate, accounts: accounts)
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
