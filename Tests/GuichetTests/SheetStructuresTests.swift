import Foundation
import TestSupport
import Testing
@testable import Guichet

/// A cité scolaire: a lycée and a collège in one export, each with its own "2NDE 1"-like classes.
@Suite struct SheetStructuresTests {
    static let lycee = SchoolStructure(uai: "0750654D", name: "Lycée Jean-Jaurès")
    static let college = SchoolStructure(uai: "0750655E", name: "Collège Jean-Jaurès")

    static func database() throws -> TemporaryDatabase {
        var e = ENTExport()
        e.add(
            id: "1", type: "Student", last: "Arnaud", first: "Lou", login: "lou.arnaud", code: "a3b4c5d6", classes: "3EME 1",
            school: "0750655E - COLLEGE JEAN JAURES")
        e.add(
            id: "2", type: "Student", last: "Bernard", first: "Léo", login: "leo.bernard", code: "b3c4d5e6", classes: "3EME 1",
            school: "0750654D - LYCEE JEAN JAURES")
        e.add(
            id: "3", type: "Student", last: "Caron", first: "Mia", login: "mia.caron", classes: "2NDE 1",
            school: "0750654D - LYCEE JEAN JAURES")
        e.add(
            id: "4", type: "Teacher", last: "Dumas", first: "Eva", login: "eva.dumas", classes: "3EME 1",
            school: "0750654D - LYCEE JEAN JAURES, 0750655E - COLLEGE JEAN JAURES")
        e.add(
            id: "5", type: "Student", last: "Fabre", first: "Noé", login: "noe.fabre", code: "c3d4e5f6", classes: "6EME 2",
            school: "0750655E - COLLEGE JEAN JAURES")
        // Teaches in both schools, but "6EME 2" only the collège has.
        e.add(
            id: "6", type: "Teacher", last: "Gros", first: "Paul", login: "paul.gros", classes: "6EME 2",
            school: "0750654D - LYCEE JEAN JAURES, 0750655E - COLLEGE JEAN JAURES")
        let db = try TemporaryDatabase()
        try db.importCSV(e.text)
        return db
    }

    @Test func classesStayPerStructure() throws {
        let db = try Self.database()
        let list = try Sheets.classList(db.database)
        // In school order, a name's structures side by side; the teachers of both say nothing.
        #expect(list.map(\.name) == ["6EME 2", "3EME 1", "3EME 1", "2NDE 1"])
        #expect(
            list.map(\.structure) == [
                "0750655E - COLLEGE JEAN JAURES", "0750654D - LYCEE JEAN JAURES", "0750655E - COLLEGE JEAN JAURES",
                "0750654D - LYCEE JEAN JAURES"
            ])
        // Short names for the chips: the export's without the UAI, cut to the word that tells them apart…
        #expect(list.map(\.structureShort) == ["COLLEGE", "LYCEE", "COLLEGE", "LYCEE"])
        // …or the configuration's.
        let named = try Sheets.classList(db.database, structures: [Self.lycee, Self.college])
        #expect(named.map(\.structureShort) == ["Collège", "Lycée", "Collège", "Lycée"])
        #expect(try Sheets.exportStructures(db.database).count == 2)
    }

    @Test func aBatchFiltersByStructureByUAIOrName() throws {
        let db = try Self.database()
        var filter = BatchFilter()
        filter.classes = ["3EME 1"]
        filter.structures = ["0750655E - COLLEGE JEAN JAURES"]
        #expect(try Sheets.preview(db.database, filter: filter, sort: [.class]).map(\.login) == ["lou.arnaud", "eva.dumas"])
        filter.structures = ["0750654D - LYCEE JEAN JAURES"]
        filter.profiles = [.student]
        #expect(try Sheets.preview(db.database, filter: filter, sort: [.class]).map(\.login) == ["leo.bernard"])
    }

    @Test func eachSheetPrintsItsOwnStructuresName() throws {
        let db = try Self.database()
        var settings = SheetSettings(
            schoolName: Self.lycee.name, entURL: "https://ent.example.org", timeZone: TimeZone(identifier: "Europe/Paris")!)
        settings.structures = [Self.lycee, Self.college]
        for (login, school) in [("lou.arnaud", "Collège Jean-Jaurès"), ("leo.bernard", "Lycée Jean-Jaurès")] {
            let sheet = try Sheets.printAtDesk(
                db.database, login: login, idCheck: .known, recipient: .owner, staff: "agent",
                channel: .kiosk, settings: settings)
            let text = try pdfText(sheet.pdf)
            #expect(text.hasPrefix(school), "\(login): \(text.prefix(40))")
        }
    }
}
