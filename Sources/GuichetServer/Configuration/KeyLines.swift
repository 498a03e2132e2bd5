import Foundation

/// Where each key of a TOML file is written, found by reading the lines again: TOMLKit reports lines for syntax
/// errors only, and a message about a value must name the line the IT person has to edit.
///
/// Handles what a configuration file holds: `[section]` headers, `key = value` and `a.b = value` lines, and the
/// keys of a one-line inline table (`federated = { relative = "EduConnect" }`). Lines inside a multi-line string
/// are skipped. A key the scan cannot place (exotic quoting) simply has no line; the message still names it.
struct KeyLines {
    /// Dotted paths ("server.port", "ent.federated.relative") to their first line, 1-based.
    private(set) var lines: [String: Int] = [:]

    init(_ text: String) {
        var section: [String] = []
        var arrayEntries: [String: Int] = [:]
        var inMultiline: String? = nil
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            var line = Substring(raw)
            if let delimiter = inMultiline {
                guard let end = line.range(of: delimiter) else { continue }
                line = line[end.upperBound...]
                inMultiline = nil
            }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("[") {
                let inner = trimmed.drop { $0 == "[" }.prefix { $0 != "]" }
                section = Self.dottedKey(inner)
                record(section, number)
                // `[[school]]`: each entry's keys under "school.0", "school.1"…
                if trimmed.hasPrefix("[[") {
                    let name = section.joined(separator: ".")
                    section.append(String(arrayEntries[name, default: 0]))
                    arrayEntries[name, default: 0] += 1
                    record(section, number)
                }
                continue
            }
            guard let equals = Self.assignment(in: trimmed) else { continue }
            let path = section + Self.dottedKey(trimmed[..<equals])
            record(path, number)
            let value = trimmed[trimmed.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            for delimiter in ["\"\"\"", "'''"] where value.hasPrefix(delimiter) {
                if value.dropFirst(3).range(of: delimiter) == nil { inMultiline = delimiter }
            }
            if value.hasPrefix("{") { recordInline(value.dropFirst(), under: path, number) }
        }
    }

    /// The line of `path`, else of its nearest enclosing section that is written in the file.
    func line(of path: [String]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let line = lines[path.joined(separator: ".")] { return line }
            path.removeLast()
        }
        return nil
    }

    private mutating func record(_ path: [String], _ number: Int) {
        let key = path.joined(separator: ".")
        if lines[key] == nil { lines[key] = number }
    }

    /// `relative = "EduConnect", teacher = "…"` up to the closing brace, on one line.
    private mutating func recordInline(_ body: Substring, under path: [String], _ number: Int) {
        var rest = body
        while let equals = Self.assignment(in: rest) {
            let key = Self.dottedKey(rest[..<equals])
            if !key.isEmpty { record(path + key, number) }
            rest = rest[rest.index(after: equals)...]
            // Skip the value: up to the next comma outside quotes.
            var quote: Character? = nil
            var index = rest.startIndex
            while index < rest.endIndex {
                let c = rest[index]
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == "\"" || c == "'" {
                    quote = c
                } else if c == "," || c == "}" {
                    break
                }
                index = rest.index(after: index)
            }
            if index == rest.endIndex || rest[index] == "}" { return }
            rest = rest[rest.index(after: index)...]
        }
    }

    /// The `=` of a `key = value` line, when the part before it looks like a key (not a comment, not inside a value).
    private static func assignment(in text: Substring) -> Substring.Index? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let key = text[..<equals]
        let allowed = key.allSatisfy { $0.isLetter || $0.isNumber || "_-. \t\"'".contains($0) }
        return allowed && key.contains(where: { !$0.isWhitespace }) ? equals : nil
    }

    /// `a . "b"` → ["a", "b"].
    private static func dottedKey(_ text: Substring) -> [String] {
        text.split(separator: ".").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }.filter { !$0.isEmpty }
    }
}
