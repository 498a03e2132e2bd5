import Foundation
import TOMLKit

/// A value of the configuration file, as TOML typed it, detached from TOMLKit (whose nodes are C++ objects that
/// are neither `Sendable` nor ordered like the file).
public enum ConfigurationValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// Keys in TOMLKit's order (sorted); the file's order is recovered from `KeyLines`.
    case table([String: ConfigurationValue])
    case array([ConfigurationValue])
    /// A TOML date, time or date-time: no key of Guichet takes one, so only its kind is kept, for the message.
    case other(String)

    /// "a string", "an integer"…: what the messages say a value is, or should be.
    var kind: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number with a decimal point"
        case .boolean: "true or false"
        case .table: "a table"
        case .array: "an array"
        case .other(let name): "a TOML \(name)"
        }
    }

    /// Parses a whole TOML document with TOMLKit (toml++); a syntax error keeps toml++'s line and message.
    static func parseDocument(_ text: String, file: String) throws(ConfigurationError) -> [String: ConfigurationValue] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(
                file: file, line: error.source.begin.line, key: nil,
                reason: "not valid TOML: \(error.description)")
        } catch {
            throw ConfigurationError(file: file, line: nil, key: nil, reason: "not valid TOML: \(error)")
        }
        return convert(table)
    }

    private static func convert(_ table: TOMLTable) -> [String: ConfigurationValue] {
        var result: [String: ConfigurationValue] = [:]
        for (key, value) in zip(table.keys, table.values) { result[key] = convert(value) }
        return result
    }

    private static func convert(_ value: TOMLValueConvertible) -> ConfigurationValue {
        switch value.type {
        case .string: .string(value.string ?? "")
        case .int: .integer(value.int ?? 0)
        case .double: .float(value.double ?? 0)
        case .bool: .boolean(value.bool ?? false)
        case .table: .table(value.table.map(convert) ?? [:])
        case .array: .array(value.array.map { $0.map(convert) } ?? [])
        case .date, .time, .dateTime: .other(value.type.description)
        }
    }
}
