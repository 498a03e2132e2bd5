import Guichet

extension GuichetConfiguration {
    /// With several `[[school]]` entries (a cité scolaire), each must be a structure the imported export holds: an
    /// entry whose UAI (or name) no account's `Établissements` carries is a typo, or a structure the ENT does not
    /// export, and its sheets would print the default name. Nothing is checked before the first import.
    /// `exportStructures` is read only when there are several entries: listing them reads every account (5 s at a
    /// million), which a single school's start-up must not pay. Throws `ConfigurationErrors`, or the read's error.
    public func checkStructures(against readExportStructures: @autoclosure () throws -> [String]) throws {
        guard !school.others.isEmpty else { return }
        let exportStructures = try readExportStructures()
        guard !exportStructures.isEmpty else { return }
        var problems: [ConfigurationError] = []
        for (index, structure) in school.structures.enumerated()
        where !exportStructures.contains(where: { structure.matches(exportName: $0) }) {
            let key = structure.uai == nil ? "name" : "uai"
            let line = keyLines["school.\(index).\(key)"] ?? keyLines["school.\(index)"]
            let what = structure.uai.map { "UAI \($0)" } ?? "\"\(structure.name)\""
            problems.append(
                ConfigurationError(
                    file: source, line: line, key: "[[school]] #\(index + 1) \(key)",
                    reason: "\(what) is in no account's Établissements of the imported export (it holds "
                        + exportStructures.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + ")"))
        }
        if !problems.isEmpty { throw ConfigurationErrors(problems: problems) }
    }
}
