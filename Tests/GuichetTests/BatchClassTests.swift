import Foundation
import GRDB
import Testing
@testable import Guichet

/// A batch's classes as (structure, class) pairs: a cité scolaire's two "3EME 1" are chosen apart, a name two
/// structures have is refused without its structure, and the journal row says which one was printed.
@Suite struct BatchClassTests {
    static let lyceeExport = "0750654D - LYCEE JEAN JAURES"
    static let collegeExport = "0750655E - COLLEGE JEAN JAURES"

    func logins(_ db: TemporaryDatabase, _ configure: (inout BatchFilter) -> Void) throws -> [String] {
        var filter = BatchFilter()
        configure(&filter)
        return try Sheets.preview(db.database, filter: filter, sort: [.class]).map(\.login)
    }

    @Test func aClassOfTwoStructuresIsChosenWithItsStructure() throws {
        let db = try SheetStructuresTests.database()
        // The teacher of both schools is in both "3EME 1": the export does not say which one she teaches.
        #expect(
            try logins(db) { $0.classes = [BatchClass(structure: Self.collegeExport, name: "3EME 1")] } == [
                "lou.arnaud", "eva.dumas"
            ])
        #expect(
            try logins(db) { $0.classes = [BatchClass(structure: Self.lyceeExport, name: "3EME 1")] } == [
                "leo.bernard", "eva.dumas"
            ])
        // By UAI, or by the [[school]] name once configured.
        #expect(
            try logins(db) { $0.classes = [BatchClass(structure: "0750654d", name: "3EME 1")] } == ["leo.bernard", "eva.dumas"])
        let named = try logins(db) {
            $0.schoolStructures = [SheetStructuresTests.lycee, SheetStructuresTests.college]
            $0.classes = [BatchClass(structure: "Collège Jean-Jaurès", name: "3eme 1")]
        }
        #expect(named == ["lou.arnaud", "eva.dumas"])
        // Both, as two pairs.
        let both = try logins(db) {
            $0.classes = [
                BatchClass(structure: Self.collegeExport, name: "3EME 1"), BatchClass(structure: Self.lyceeExport, name: "3EME 1")
            ]
            $0.profiles = [.student]
        }
        #expect(Set(both) == ["lou.arnaud", "leo.bernard"])
    }

    @Test func aTeacherOfBothSchoolsIsOnlyInTheStructureThatHasTheClass() throws {
        let db = try SheetStructuresTests.database()
        #expect(
            try logins(db) { $0.classes = [BatchClass(structure: Self.collegeExport, name: "6EME 2")] } == [
                "noe.fabre", "paul.gros"
            ])
        // The lycée has no "6EME 2": Paul Gros's is the collège's, though he is in the lycée too.
        #expect(try logins(db) { $0.classes = [BatchClass(structure: Self.lyceeExport, name: "6EME 2")] } == [])
        // Named without a structure: one structure has it, so it is that one.
        #expect(try logins(db) { $0.classes = ["6EME 2"] } == ["noe.fabre", "paul.gros"])
    }

    @Test func aClassNamedWithoutItsStructureIsRefusedWhenTwoStructuresHaveIt() throws {
        let db = try SheetStructuresTests.database()
        #expect(throws: SheetError.ambiguousClass(name: "3EME 1", structures: [Self.lyceeExport, Self.collegeExport])) {
            try logins(db) { $0.classes = ["3EME 1"] }
        }
        var filter = BatchFilter()
        filter.classes = ["3EME 1"]
        #expect(throws: SheetError.self) { try Sheets.checkClasses(db.database, filter: filter) }
        #expect(throws: SheetError.self) {
            try Sheets.batchCSV(db.database, filter: filter, sort: [.class], staff: "cpe", channel: .cli)
        }
        // A structure filter that leaves one of them says which.
        #expect(
            try logins(db) {
                $0.classes = ["3EME 1"]; $0.structures = ["0750654D"]
            } == ["leo.bernard", "eva.dumas"])
        // Nothing was journalled by the refusals.
        #expect(
            try db.database.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM journal WHERE action LIKE 'batch-%'")
            } == 0)
    }

    @Test func theBatchJournalRowNamesEachClassWithItsStructure() throws {
        let db = try SheetStructuresTests.database()
        var filter = BatchFilter()
        filter.classes = [BatchClass(structure: Self.collegeExport, name: "3EME 1"), "2NDE 1"]
        let output = try Sheets.batchCSV(db.database, filter: filter, sort: [.class], staff: "cpe", channel: .cli)
        let details = try db.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM journal WHERE seq = ?", arguments: [output.number])
        }
        let json = try #require(details)
        #expect(json.contains(#""classes":[{"name":"3EME 1","structure":"0750655E - COLLEGE JEAN JAURES"},"2NDE 1"]"#), "\(json)")
        // The row reads back as the same filter.
        struct Stored: Decodable {
            struct Filter: Decodable { let classes: [BatchClass] }
            let filter: Filter
        }
        let stored = try JSONDecoder().decode(Stored.self, from: Data(json.utf8))
        #expect(stored.filter.classes == filter.classes)
    }

    @Test func theCommandLineSpellingSplitsAtTheFirstColon() {
        #expect(BatchClass(commandLine: "0750654D:2NDE 1") == BatchClass(structure: "0750654D", name: "2NDE 1"))
        #expect(BatchClass(commandLine: "2NDE 1") == BatchClass(name: "2NDE 1"))
        #expect(BatchClass(commandLine: " :2NDE 1") == BatchClass(name: "2NDE 1"))
    }
}

extension BatchClassTests {
    @Test func aStructuresShortNameIsTheWordsThatTellItApart() {
        let lycees = Sheets.shortNames(["Lycée Jean-Jaurès", "Lycée Marie-Curie"], configured: [])
        #expect(lycees == ["Lycée Jean-Jaurès": "Jean-Jaurès", "Lycée Marie-Curie": "Marie-Curie"])
        let cite = Sheets.shortNames(["0750654D - LYCEE JEAN JAURES", "0750655E - COLLEGE JEAN JAURES"], configured: [])
        #expect(cite == ["0750654D - LYCEE JEAN JAURES": "LYCEE", "0750655E - COLLEGE JEAN JAURES": "COLLEGE"])
        // A BTS section under its own UAI keeps the word that says so.
        let bts = Sheets.shortNames(["Lycée Jean-Jaurès", "Lycée Jean-Jaurès BTS"], configured: [])
        #expect(bts == ["Lycée Jean-Jaurès": "Jean-Jaurès", "Lycée Jean-Jaurès BTS": "Jean-Jaurès BTS"])
        // The same name twice (two UAIs): nothing shorter tells them apart.
        let same = Sheets.shortNames(["0750654D - LYCEE JEAN JAURES", "0750656F - LYCEE JEAN JAURES"], configured: [])
        #expect(same.values.sorted() == ["0750654D - LYCEE JEAN JAURES", "0750656F - LYCEE JEAN JAURES"])
        let pro = Sheets.shortNames(["Lycée Jean-Jaurès", "Lycée professionnel Jean-Jaurès"], configured: [])
        #expect(pro == ["Lycée Jean-Jaurès": "Jean-Jaurès", "Lycée professionnel Jean-Jaurès": "professionnel Jean-Jaurès"])
    }
}

extension BatchClassTests {
    @Test func twoStructuresClassesOfOneNamePrintOneAfterTheOtherEachNamed() throws {
        let db = try SheetStructuresTests.database()
        var filter = BatchFilter()
        filter.classes = [
            BatchClass(structure: Self.collegeExport, name: "3EME 1"), BatchClass(structure: Self.lyceeExport, name: "3EME 1")
        ]
        filter.profiles = [.student]
        let entries = try Sheets.preview(db.database, filter: filter, sort: [.class])
        // By name alone Arnaud would come before Bernard; by class, the lycée's "3EME 1" (first by name) comes first.
        #expect(entries.map(\.login) == ["leo.bernard", "lou.arnaud"])
        #expect(entries.map(\.structure) == [Self.lyceeExport, Self.collegeExport])
    }
}

extension BatchClassTests {
    /// A family across a cité scolaire: Lou in the collège's "3EME 1", Nina in the lycée's "1ERE G1"; the lycée has a
    /// "3EME 1" too (Léo's).
    static func family() throws -> TemporaryDatabase {
        var e = ENTExport()
        e.add(
            id: "1", type: "Student", last: "Arnaud", first: "Lou", login: "lou.arnaud", classes: "3EME 1",
            parents: "Karim Ibert",
            school: collegeExport)
        e.add(
            id: "2", type: "Student", last: "Bernard", first: "Léo", login: "leo.bernard", classes: "3EME 1", school: lyceeExport)
        e.add(
            id: "3", type: "Student", last: "Ibert", first: "Nina", login: "nina.ibert", classes: "1ERE G1",
            parents: "Karim Ibert",
            school: lyceeExport)
        e.add(
            id: "4", type: "Relative", last: "Ibert", first: "Karim", login: "karim.ibert", classes: "3EME 1, 1ERE G1",
            children: "Lou Arnaud, Nina Ibert", school: "\(lyceeExport), \(collegeExport)")
        let db = try TemporaryDatabase()
        try db.importCSV(e.text)
        return db
    }

    @Test func aParentOfBothSchoolsIsInTheClassesOfItsChildrensSchools() throws {
        let db = try Self.family()
        var filter = BatchFilter()
        filter.classes = [BatchClass(structure: Self.collegeExport, name: "3EME 1")]
        let college = try Sheets.preview(db.database, filter: filter, sort: [.class])
        #expect(college.map(\.login) == ["lou.arnaud", "karim.ibert"])
        #expect(college.map(\.structure) == [Self.collegeExport, Self.collegeExport])
        // The lycée's "3EME 1" is Léo's: Karim Ibert's children are in the collège's one and the lycée's "1ERE G1".
        #expect(try logins(db) { $0.classes = [BatchClass(structure: Self.lyceeExport, name: "3EME 1")] } == ["leo.bernard"])
        #expect(
            try logins(db) { $0.classes = [BatchClass(structure: Self.lyceeExport, name: "1ERE G1")] } == [
                "karim.ibert", "nina.ibert"
            ])
    }
}

extension BatchClassTests {
    @Test func theConsolesTableFindsAClassByItsSchool() throws {
        let db = try SheetStructuresTests.database()
        var query = BatchListQuery()
        query.search = ["class": "college"]
        let page = try Sheets.previewList(db.database, filter: BatchFilter(), sort: [.class], query: query)
        // Paul Gros teaches in both schools; his "6EME 2" is the collège's, the only one that has one. Eva Dumas's
        // "3EME 1" could be either's: she is listed under the first of her structures, the lycée.
        #expect(page.rows.map(\.login) == ["noe.fabre", "paul.gros", "lou.arnaud"])
        #expect(page.rows.allSatisfy { $0.structure == Self.collegeExport })
    }
}
