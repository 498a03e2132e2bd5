@testable import Guichet

/// The importer's whole reading path: encoding detection, the CSV dialect, header recognition, rows and dates.
/// Any input must either parse or throw an `ImportError` naming a line within the file.
enum FuzzCSV {
    static func run(_ input: UnsafeRawBufferPointer) {
        let bytes = Array(input)
        do {
            let export = try ExportFile.parse(bytes: bytes, name: "fuzz.csv")
            precondition(export.rowCount > 0, "an export parsed with no rows")
            for account in export.accounts {
                precondition(
                    !account.login.isEmpty && !account.lastName.isEmpty && !account.firstName.isEmpty,
                    "a parsed row lacks a required value")
            }
        } catch {
            let lines = 1 + bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            if let line = error.line {
                precondition(line >= 1 && line <= lines, "error names line \(line) of a \(lines)-line file")
            }
            _ = error.description
        }
    }
}
