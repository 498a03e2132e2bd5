import Foundation
import GRDB

/// The two export formats. Both carry every column, hashes included, so that whoever receives an export (the DPO,
/// an inspector) can recompute the chain over it.
public enum JournalExportFormat: String, Sendable, CaseIterable {
    /// RFC 4180: a header line, `,`, CRLF, fields quoted when they hold `,`, `"`, CR or LF; NULL is an empty field.
    case csv
    /// One array of objects with the table's column names; `details` is the exact text that was hashed.
    case json
}

/// What an export wrote (also the details of its `journal-exported` row).
public struct JournalExport: Sendable, Codable, Equatable {
    public var from: String
    public var to: String
    public var format: String
    public var rows: Int
}

extension Journal {
    /// Writes the rows of the days `from`…`to` (inclusive, in `timeZone`) to `sink` and journals the export, in one
    /// transaction: when `sink` throws (a full disk, a closed pipe), the export is not journalled. The export's own
    /// row is not part of the export it records.
    @discardableResult
    public static func export(
        _ database: GuichetDatabase, from: JournalDay, to: JournalDay, format: JournalExportFormat,
        staff: String?, channel: Channel, timeZone: TimeZone, now: Date = Date(),
        to sink: (String) throws -> Void
    ) throws -> JournalExport {
        try database.writer.write { db in
            var rows = 0
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var chunk = format == .csv ? "seq,at,staff,channel,action,target,details,prev_hash,hash\r\n" : "["
            try forEach(db, JournalFilter(from: from, to: to), timeZone: timeZone) { row in
                switch format {
                case .csv:
                    chunk +=
                        [
                            String(row.seq), row.at, row.staff, row.channel, row.action, row.target, row.details,
                            row.previousHash, row.hash
                        ].map(csvField).joined(separator: ",") + "\r\n"
                case .json:
                    chunk += (rows == 0 ? "\n" : ",\n") + String(decoding: try encoder.encode(row), as: UTF8.self)
                }
                rows += 1
                if chunk.utf8.count > 64 * 1024 {
                    try sink(chunk)
                    chunk = ""
                }
            }
            if format == .json { chunk += rows == 0 ? "]\n" : "\n]\n" }
            try sink(chunk)
            let export = JournalExport(from: from.description, to: to.description, format: format.rawValue, rows: rows)
            try append(db, JournalEntry(staff: staff, channel: channel, action: .journalExported, details: export), at: now)
            return export
        }
    }

    static func csvField(_ value: String?) -> String {
        guard let value = value.map(CSVCell.neutralised) else { return "" }
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard value.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
