import Foundation
import Guichet

extension GuichetConfiguration {
    /// Reads and checks the file at `path`; every problem is reported, each with its line and key.
    public static func load(path: String) throws(ConfigurationErrors) -> GuichetConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            let why =
                FileManager.default.fileExists(atPath: path)
                ? "it cannot be read by this user (permissions?)" : "there is no such file"
            throw ConfigurationErrors(problems: [
                ConfigurationError(file: path, line: nil, key: nil, reason: "cannot read the configuration: \(why)")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationErrors(problems: [ConfigurationError(file: path, line: nil, key: nil, reason: "not UTF-8 text")])
        }
        return try parse(text, file: path)
    }

    /// Parses configuration text; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws(ConfigurationErrors) -> GuichetConfiguration {
        let document: [String: ConfigurationValue]
        do { document = try ConfigurationValue.parseDocument(text, file: file) } catch {
            throw ConfigurationErrors(problems: [error])
        }
        let lines = KeyLines(text)
        var problems: [ConfigurationError] = []
        func problem(_ path: [String], _ reason: String) {
            var key = path.count > 1 ? "[\(path[0])] " + path.dropFirst().joined(separator: ".") : "[\(path[0])]"
            if path.count > 1, let entry = Int(path[1]) {  // an entry of `[[school]]`, counted from 1
                key = "[[\(path[0])]] #\(entry + 1)" + (path.count > 2 ? " " + path.dropFirst(2).joined(separator: ".") : "")
            }
            problems.append(ConfigurationError(file: file, line: lines.line(of: path), key: key, reason: reason))
        }
        let known = sections.map(\.key)
        var configuration = GuichetConfiguration()
        configuration.source = file
        for (name, value) in document {
            guard let keys = sections.first(where: { $0.key == name })?.value else {
                let what =
                    if case .table = value { "unknown section [\(name)]" } else { "unknown key \"\(name)\" outside any section" }
                problems.append(
                    ConfigurationError(
                        file: file, line: lines.line(of: [name]), key: nil,
                        reason: "\(what); the sections are " + known.map { "[\($0)]" }.joined(separator: ", ")))
                continue
            }
            // `[[school]]`: one entry per structure of a cité scolaire, the first being the default.
            if name == "school", case .array(let list) = value {
                for (index, entry) in list.enumerated() {
                    guard case .table(let entries) = entry else { problem([name, String(index)], "must be a table"); continue }
                    var scratch = index == 0 ? configuration : GuichetConfiguration()
                    for (key, value) in entries {
                        // The school-wide keys (time zone, class levels) belong to the first entry only.
                        if index > 0 && key != "uai" && key != "name" {
                            problem(
                                [name, String(index), key],
                                "only uai and name in a [[school]] entry after the first, which holds the school-wide keys")
                            continue
                        }
                        guard let setter = keys.first(where: { $0.key == key })?.value else {
                            problem(
                                [name, String(index), key],
                                "unknown key; [[\(name)]] takes " + keys.map(\.key).joined(separator: ", "))
                            continue
                        }
                        do { try setter(&scratch, value) } catch let error as Invalid {
                            problem([name, String(index), key] + (error.subKey.map { [$0] } ?? []), error.reason)
                        } catch {
                            problem([name, String(index), key], "\(error)")
                        }
                    }
                    if index == 0 {
                        configuration = scratch
                    } else {
                        configuration.school.others.append(SchoolStructure(uai: scratch.school.uai, name: scratch.school.name))
                    }
                }
                continue
            }
            guard case .table(let entries) = value else {
                problem([name], "must be a section, written [\(name)] on a line of its own (not \(value.kind))")
                continue
            }
            for (key, value) in entries {
                guard let setter = keys.first(where: { $0.key == key })?.value else {
                    problem([name, key], "unknown key; [\(name)] takes " + keys.map(\.key).joined(separator: ", "))
                    continue
                }
                do { try setter(&configuration, value) } catch let error as Invalid {
                    problem([name, key] + (error.subKey.map { [$0] } ?? []), error.reason)
                } catch {
                    problem([name, key], "\(error)")
                }
            }
        }
        if let tls = configuration.tls, tls.certificate.isEmpty || tls.key.isEmpty {
            problem(
                ["tls", tls.certificate.isEmpty ? "certificate" : "key"],
                "missing: [tls] needs both certificate and key (or neither, to serve plain HTTP on loopback)")
        }
        configuration.keyLines = lines.lines
        if !problems.isEmpty {
            throw ConfigurationErrors(
                problems: problems.sorted { ($0.line ?? .max, $0.key ?? "") < ($1.line ?? .max, $1.key ?? "") })
        }
        return configuration
    }

    /// A value given on the command line, for the key it overrides: `--port 8443` is `server.port`.
    public struct Override: Sendable {
        public let flag: String
        public let section: String
        public let key: String
        public let value: ConfigurationValue

        public init(_ flag: String, _ dottedKey: String, _ value: ConfigurationValue) {
            let parts = dottedKey.split(separator: ".", maxSplits: 1).map(String.init)
            precondition(
                parts.count == 2 && GuichetConfiguration.setter(section: parts[0], key: parts[1]) != nil,
                "no configuration key \(dottedKey)")
            (self.flag, self.section, self.key, self.value) = (flag, parts[0], parts[1], value)
        }
    }

    /// The configuration with flags applied over it, each checked by the same setter as the file's key.
    public func applying(_ overrides: [Override]) throws(ConfigurationErrors) -> GuichetConfiguration {
        var copy = self
        var problems: [ConfigurationError] = []
        for o in overrides {
            do { try Self.setter(section: o.section, key: o.key)!(&copy, o.value) } catch let error as Invalid {
                problems.append(ConfigurationError(file: nil, line: nil, key: o.flag, reason: error.reason))
            } catch {
                problems.append(ConfigurationError(file: nil, line: nil, key: o.flag, reason: "\(error)"))
            }
        }
        if let tls = copy.tls, tls.certificate.isEmpty || tls.key.isEmpty {
            problems.append(
                ConfigurationError(
                    file: nil, line: nil, key: tls.certificate.isEmpty ? "--tls-certificate" : "--tls-key",
                    reason: "missing: TLS needs both a certificate and a key"))
        }
        guard problems.isEmpty else { throw ConfigurationErrors(problems: problems) }
        return copy
    }

    /// The line of a key in the file this came from ("server.bind"), for messages about values read earlier.
    func line(of dottedKey: String) -> Int? { keyLines[dottedKey] }
}
