/// Why an import was refused. Every import is all or nothing: any of these leaves the database as it was.
/// The description names the file, the line and the column, so the IT person can open the file and see it.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public let file: String
    /// 1-based physical line in the file; nil when the problem is the file as a whole.
    public let line: Int?
    public let problem: Problem

    public init(file: String, line: Int?, problem: Problem) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public enum Problem: Sendable, Equatable {
        case unreadable(reason: String)
        case emptyFile
        case noRows
        case invalidUTF8(byte: UInt8)
        case undefinedWindows1252(byte: UInt8)
        case unclosedQuote(field: Int, column: Int)
        case unknownFormat(header: String)
        case missingColumn(String)
        case duplicateColumn(String)
        case fieldCount(found: Int, expected: Int)
        case emptyValue(column: String)
        case unknownProfile(column: String, value: String)
        case badDate(column: String, value: String, expected: String)
        case duplicateLogin(String, firstLine: Int)
        case duplicateId(String, firstLine: Int)
        case loginTakenByAnotherAccount(login: String, entId: String)
    }

    /// A stable identifier of the kind of problem, for JSON output and the kiosk's translations.
    public var code: String {
        switch problem {
        case .unreadable: "unreadable-file"
        case .emptyFile: "empty-file"
        case .noRows: "no-rows"
        case .invalidUTF8: "invalid-utf8"
        case .undefinedWindows1252: "invalid-windows-1252"
        case .unclosedQuote: "unclosed-quote"
        case .unknownFormat: "unknown-format"
        case .missingColumn: "missing-column"
        case .duplicateColumn: "duplicate-column"
        case .fieldCount: "field-count"
        case .emptyValue: "empty-value"
        case .unknownProfile: "unknown-profile"
        case .badDate: "bad-date"
        case .duplicateLogin: "duplicate-login"
        case .duplicateId: "duplicate-id"
        case .loginTakenByAnotherAccount: "login-taken"
        }
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(message) — nothing was imported"
    }

    public var message: String {
        switch problem {
        case .unreadable(let reason): "cannot read the file (\(reason))"
        case .emptyFile: "the file is empty"
        case .noRows: "the file has a header but no account rows"
        case .invalidUTF8(let byte):
            "byte 0x\(hex(byte)) is not valid UTF-8 (and the file is not Windows-1252: it also holds UTF-8 text)"
        case .undefinedWindows1252(let byte): "byte 0x\(hex(byte)) is neither UTF-8 nor a Windows-1252 character"
        case .unclosedQuote(let field, let column):
            "field \(field) opens a quote at character \(column) that is not closed on this line"
        case .unknownFormat(let header): "the header is not an ENT export nor a publipostage list: \(header)"
        case .missingColumn(let name): "the required column \"\(name)\" is missing from the header"
        case .duplicateColumn(let name): "the column \"\(name)\" appears twice in the header"
        case .fieldCount(let found, let expected): "\(found) fields where the header has \(expected)"
        case .emptyValue(let column): "column \"\(column)\" is empty"
        case .unknownProfile(let column, let value):
            "column \"\(column)\": unknown profile \"\(value)\" (expected Student, Relative, Teacher, Personnel, Guest or Élève, Parent, Enseignant, Personnel, Invité)"
        case .badDate(let column, let value, let expected):
            "column \"\(column)\": \"\(value)\" is not a date of the form \(expected)"
        case .duplicateLogin(let login, let first): "login \"\(login)\" already appears on line \(first)"
        case .duplicateId(let id, let first): "ENT id \"\(id)\" already appears on line \(first)"
        case .loginTakenByAnotherAccount(let login, let entId):
            "login \"\(login)\" belongs to another account already known (ENT id \(entId))"
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
