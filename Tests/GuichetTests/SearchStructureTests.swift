import Foundation
import GRDB
import Testing
@testable import Guichet

/// The desk search's class filter in a cité scolaire, as a batch's: (structure, class), a name two structures have
/// refused without its structure, and, when the query's words name such a class, each result's class with its
/// school's short name.
@Suite struct SearchStructureTests {
    static let lyceeExport = "0750654D - LYCEE JEAN JAURES"
    static let collegeExport = "0750655E - COLLEGE JEAN JAURES"

    func search(
        _ db: TemporaryDatabase, _ text: String = "", className: String? = nil, structure: String? = nil,
        schools: [SchoolStructure] = []
    ) throws -> [AccountSummary] {
        var q = SearchQuery(text: text, className: className)
        (q.structure, q.schools) = (structure, schools)
        return try Search.journalled(q, in: db.database, staff: "agent", channel: .kiosk).results
    }

    @Test func aClassTwoStructuresHaveIsFilteredWithItsStructure() throws {
        let db = try SheetStructuresTests.database()
        // The teacher of both schools is in both "3EME 1": her account is in both structures.
        #expect(try search(db, className: "0750655E:3EME 1").map(\.login) == ["lou.arnaud", "eva.dumas"])
        #expect(try search(db, className: "3EME 1", structure: "0750654d").map(\.login) == ["leo.bernard", "eva.dumas"])
        #expect(try search(db, className: "\(Self.lyceeExport):3eme 1").map(\.login) == ["leo.bernard", "eva.dumas"])
        // By the [[school]] name once configured, with words too.
        let schools = [SheetStructuresTests.lycee, SheetStructuresTests.college]
        #expect(
            try search(db, "lou", className: "3EME 1", structure: "Collège Jean-Jaurès", schools: schools).map(\.login) == [
                "lou.arnaud"
            ])
        #expect(try search(db, "leo", className: "3EME 1", structure: "Collège Jean-Jaurès", schools: schools).isEmpty)
        // A class of one structure may be named alone; a structure without the class selects nobody.
        #expect(try search(db, className: "6EME 2").map(\.login) == ["noe.fabre", "paul.gros"])
        #expect(try search(db, className: "0750654D:6EME 2").isEmpty)
    }

    @Test func aClassTwoStructuresHaveIsRefusedWithoutItsStructureNamingThem() throws {
        let db = try SheetStructuresTests.database()
        #expect(throws: SheetError.ambiguousClass(name: "3EME 1", structures: [Self.lyceeExport, Self.collegeExport])) {
            try search(db, className: "3EME 1")
        }
        #expect(throws: SearchFilterError.structureWithoutClass("0750654D")) { try search(db, "lou", structure: "0750654D") }
        // Refused searches journal nothing.
        let searches = try db.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM journal WHERE action = 'search'")
        }
        #expect(searches == 0)
    }

    @Test func aClassTypedAmongTheWordsShowsEachResultsSchoolWhereTwoHaveIt() throws {
        let db = try SheetStructuresTests.database()
        // "3eme 1" typed: not refused (nobody asked for a filter), both schools' classes, each with its school.
        let found = try search(db, "3eme 1")
        let classes = Dictionary(uniqueKeysWithValues: found.map { ($0.login, $0.classes) })
        #expect(classes["lou.arnaud"] == ["3EME 1 · COLLEGE"])
        #expect(classes["leo.bernard"] == ["3EME 1 · LYCEE"])
        // The teacher of both: the export does not say whose "3EME 1" she teaches.
        #expect(classes["eva.dumas"] == ["3EME 1"])
        // The [[school]] names once configured.
        let schools = [SheetStructuresTests.lycee, SheetStructuresTests.college]
        #expect(try search(db, "lou 3eme 1", schools: schools).first?.classes == ["3EME 1 · Collège"])
        // No class among the words, or a class one structure has: as the export writes it.
        #expect(try search(db, "arnaud").first?.classes == ["3EME 1"])
        #expect(try search(db, "mia 2nde 1").first?.classes == ["2NDE 1"])
        #expect(try search(db, "noe 6eme 2").first?.classes == ["6EME 2"])
    }

    /// Where a class is, kept between searches (`KnownClasses`), is read again after an import: a class the next
    /// export gives a second structure is labelled with its school from the first search after it.
    @Test func aClassLabelFollowsTheNextImport() throws {
        var e = ENTExport()
        e.add(
            id: "3", type: "Student", last: "Caron", first: "Mia", login: "mia.caron", classes: "2NDE 1",
            school: Self.lyceeExport)
        let db = try TemporaryDatabase()
        let now = Date()
        try db.importCSV(e.text, now: now)
        #expect(try search(db, "mia 2nde 1").first?.classes == ["2NDE 1"])
        #expect(try search(db, "mia 2nde 1").first?.classes == ["2NDE 1"])
        e.add(
            id: "7", type: "Student", last: "Roy", first: "Zoé", login: "zoe.roy", classes: "2NDE 1",
            school: Self.collegeExport)
        try db.importCSV(e.text, now: now)  // the same second: the import's row tells the two apart
        #expect(try search(db, "mia 2nde 1").first?.classes == ["2NDE 1 · LYCEE"])
        #expect(try search(db, "zoe 2nde 1").first?.classes == ["2NDE 1 · COLLEGE"])
    }
}
