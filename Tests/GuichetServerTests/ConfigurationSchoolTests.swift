import Foundation
import Guichet
import Testing
@testable import GuichetServer

/// `[[school]]` (one entry per structure of a cité scolaire), `[school] class_levels` and `[ent] previous`.
@Suite struct ConfigurationSchoolTests {
    static let citeScolaire = """
        [[school]]
        uai = "0750654D"
        name = "Lycée Jean-Jaurès"
        class_levels = { "UPE2A" = ["upe2a"] }

        [[school]]
        uai = "0750655E"
        name = "Collège Jean-Jaurès"

        [ent]
        previous = ["Lillie", "PCN"]
        """

    func problem(_ text: String) -> ConfigurationError? {
        do { _ = try GuichetConfiguration.parse(text, file: "g.toml"); return nil } catch { return error.problems.first }
    }

    @Test func eachStructureIsOneEntryTheFirstBeingTheDefault() throws {
        let c = try GuichetConfiguration.parse(Self.citeScolaire, file: "g.toml")
        #expect(c.school.name == "Lycée Jean-Jaurès" && c.school.uai == "0750654D")
        #expect(
            c.school.structures == [
                SchoolStructure(uai: "0750654D", name: "Lycée Jean-Jaurès"),
                SchoolStructure(uai: "0750655E", name: "Collège Jean-Jaurès")
            ])
        #expect(c.school.classLevels.level(of: "UPE2A") == "UPE2A")
        #expect(c.ent.previous == ["Lillie", "PCN"])
        let sheets = try c.serverSettings(kioskRoot: "/tmp").sheetSettings
        #expect(sheets.structures.count == 2 && sheets.previousENTs == ["Lillie", "PCN"])
    }

    @Test func aBadValueInTheSecondEntryNamesItsLineAndEntry() {
        let p = problem(Self.citeScolaire.replacingOccurrences(of: "0750655E", with: "0750655F"))
        #expect(p?.line == 7 && p?.key == "[[school]] #2 uai", "\(String(describing: p))")
    }

    @Test func schoolWideKeysBelongToTheFirstEntry() {
        let p = problem(Self.citeScolaire + "\n[[school]]\nname = \"BTS\"\ntime_zone = \"Europe/Paris\"\n")
        #expect(p?.key == "[[school]] #3 time_zone" && p?.line == 14, "\(String(describing: p))")
    }

    @Test func aClassLevelTableWithADuplicateIsRefusedNamingTheLevel() {
        let p = problem("[school]\nname = \"L\"\nclass_levels = { \"BTS1\" = [\"TG\"] }\n")
        #expect(p?.line == 3 && p?.key == "[school] class_levels.BTS1")
        #expect(p?.reason == "BTS1: \"tg\" is already a prefix of TLE")
    }

    @Test func aStructureTheExportDoesNotHoldIsRefusedNamingItsLine() throws {
        let c = try GuichetConfiguration.parse(Self.citeScolaire, file: "g.toml")
        #expect(throws: Never.self) {
            try c.checkStructures(against: ["0750654D - LYCEE JEAN JAURES", "0750655E - COLLEGE JEAN JAURES"])
        }
        #expect(throws: Never.self) { try c.checkStructures(against: []) }
        do {
            try c.checkStructures(against: ["0750654D - LYCEE JEAN JAURES"])
            Issue.record("accepted")
        } catch let error as ConfigurationErrors {
            #expect(error.problems.count == 1)
            #expect(
                error.problems[0].description.hasPrefix(
                    "g.toml line 7: [[school]] #2 uai: UAI 0750655E is in no account's Établissements"))
        }
    }

    /// Listing the export's structures reads every account (seconds at a million): one school never pays for it.
    @Test func oneSchoolNeverReadsTheExportsStructures() throws {
        let c = try GuichetConfiguration.parse("[school]\nname = \"L\"\n", file: "g.toml")
        var read = false
        func structures() -> [String] {
            read = true
            return ["0750654D - LYCEE JEAN JAURES"]
        }
        try c.checkStructures(against: structures())
        #expect(!read)
    }
}
