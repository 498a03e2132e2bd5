/// One structure (school) of the establishment: a cité scolaire has a lycée and a collège, a lycée may have a BTS
/// section under its own UAI. `[[school]]` holds one entry per structure, the first being the default; a sheet
/// prints the name of its account's own structure.
public struct SchoolStructure: Sendable, Equatable {
    /// 7 digits and the check letter ("0750654D"); nil when not configured.
    public var uai: String?
    /// The name the sheets print ("Lycée Jean-Jaurès").
    public var name: String

    public init(uai: String?, name: String) {
        (self.uai, self.name) = (uai, name)
    }

    /// Whether a structure as the ENT's export names it ("LYCEE JEAN JAURES", "0750654D - LYCEE JEAN JAURES") is
    /// this one: its UAI appears in it, or the two names are the same once folded.
    public func matches(exportName: String) -> Bool {
        if let uai, exportName.uppercased().contains(uai.uppercased()) { return true }
        let key = Folding.key(exportName)
        return !key.isEmpty && key == Folding.key(name)
    }

    /// The configured structure an account belongs to: the first that matches one of its export structures.
    public static func of(_ exportStructures: [String], in structures: [SchoolStructure]) -> SchoolStructure? {
        for exportName in exportStructures {
            if let found = structures.first(where: { $0.matches(exportName: exportName) }) { return found }
        }
        return nil
    }
}
