import Foundation
import GRDB
import TestSupport
import Testing
@testable import Guichet

/// Batches: the console's filters, French order, 1, 2 or 8 to a page, one journal row each.
@Suite struct BatchTests {
    static func batch(
        _ db: TemporaryDatabase, _ filter: BatchFilter, sort: [BatchSortKey] = [.class],
        perPage: SheetsPerPage
    ) throws -> (BatchOutput, PDFFile) {
        let output = try Sheets.batch(
            db.database, filter: filter, sort: sort, perPage: perPage, staff: "cpe", channel: .cli,
            settings: SheetTests.settings)
        return (output, try PDFFile(output.bytes))
    }

    @Test func aClassBatchHoldsExactlyThatClasssStudentsInRegisterOrder() throws {
        let db = try SheetTests.database()
        var filter = BatchFilter()
        filter.classes = ["2nde 3"]
        filter.profiles = [.student]
        let (output, pdf) = try Self.batch(db, filter, perPage: .one)
        defer { pdf.remove() }
        try pdf.savePNGs("batch-2nde3")
        let expected = ["lea.coeur", "marie-clementine.de-la-tour-d-auvergne-montmorency", "zoe.gerard", "thi-lan.nguyen"]
        #expect(output.logins == expected)
        #expect(try pdf.pageCount == 4)
        for (page, login) in expected.enumerated() {
            let text = try pdf.text(page: page + 1)
            #expect(text.contains(login) && text.contains("Fiche n° \(output.number)-\(page + 1)"))
        }
        let row = try db.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM journal WHERE seq = ?", arguments: [output.number])!
        }
        #expect(row["action"] == "batch-printed" && row["staff"] == "cpe")
        let details: String = row["details"]
        #expect(
            details.contains(
                #""logins":["lea.coeur","marie-clementine.de-la-tour-d-auvergne-montmorency","zoe.gerard","thi-lan.nguyen"]"#))
        #expect(details.contains(#""count":4"#))
    }

    @Test func anEightUpPageHoldsEightCardsAndNoWordCrossesACutLine() throws {
        let db = try SheetTests.database()
        let (output, pdf) = try Self.batch(db, BatchFilter(), perPage: .eight)
        defer { pdf.remove() }
        try pdf.savePNGs("batch-8up")
        #expect(output.logins.count == 18)
        #expect(try pdf.pageCount == 3)
        #expect(try pdf.text(page: 1).components(separatedBy: "Fiche n° ").count - 1 == 8)
        #expect(try pdf.text(page: 2).components(separatedBy: "Fiche n° ").count - 1 == 8)
        #expect(try pdf.text(page: 3).components(separatedBy: "Fiche n° ").count - 1 == 2)
        // Every word stays inside its card: none straddles the page's cut lines (x = w/2, y = h/4, h/2, 3h/4).
        let html = try runTool("pdftotext", ["-bbox", pdf.file.path, "-"])
        let w = 595.28, h = 841.89
        for line in html.split(separator: "\n") where line.contains("<word ") {
            func value(_ name: String) -> Double {
                let part = line.components(separatedBy: "\(name)=\"")[1]
                return Double(part.prefix { $0 != "\"" })!
            }
            let (x0, x1, y0, y1) = (value("xMin"), value("xMax"), value("yMin"), value("yMax"))
            #expect(!(x0 < w / 2 && x1 > w / 2), "\(line)")
            for k in 1..<4 { #expect(!(y0 < h / 4 * Double(k) && y1 > h / 4 * Double(k)), "\(line)") }
            #expect(x0 >= 10 && x1 <= w - 10, "\(line)")
        }
    }

    @Test func twoUpPutsTwoSheetsOnALandscapePage() throws {
        let db = try SheetTests.database()
        var filter = BatchFilter()
        filter.profiles = [.relative]
        let (output, pdf) = try Self.batch(db, filter, sort: [.name], perPage: .two)
        defer { pdf.remove() }
        try pdf.savePNGs("batch-2up")
        #expect(
            output.logins == [
                "marc.gerard", "sophie.gerard", "camille.martin", "camille.martin1", "aissatou.ndiaye", "oyvind.nguyen"
            ])
        #expect(try pdf.pageCount == 3)
        let size = try runTool("pdfinfo", [pdf.file.path]).split(separator: "\n").first { $0.hasPrefix("Page size:") } ?? ""
        #expect(size.contains("841.89 x 595.28"))
    }

    @Test func filtersCombineLikeTheConsoles() throws {
        let db = try SheetTests.database()
        func logins(_ configure: (inout BatchFilter) -> Void, sort: [BatchSortKey] = [.class]) throws -> [String] {
            var filter = BatchFilter()
            configure(&filter)
            return try db.database.writer.read { db in try BatchSelection.select(filter, sort: sort, db).map(\.person.login) }
        }
        #expect(
            try logins {
                $0.levels = ["TLE"]; $0.profiles = [.student]
            } == ["ines.gerard", "stefan-mircea.popescu"])
        #expect(
            try logins {
                $0.classes = ["2NDE 3"]; $0.activated = true
            } == ["marc.gerard", "helene.lefevre-coeur"])
        #expect(
            try logins {
                $0.profiles = [.relative]; $0.hasEmail = true
            } == ["sophie.gerard"])
        #expect(try logins { $0.gone = true } == [])
        #expect(try logins { $0.createdAfter = "2999-01-01" } == [])
        // By profile: students first, then parents; by name within each.
        let byProfile = try logins({ $0.classes = ["1ERE G1"] }, sort: [.profile])
        #expect(byProfile == ["nathanael.ndiaye", "lucja.strasse-oeillet", "aissatou.ndiaye", "helene.lefevre-coeur"])
        // By class: levels in school order (2NDE, 1ERE, TLE), then the name.
        let students = try logins({
            $0.profiles = [.student]; $0.levels = ["2NDE", "1ERE", "TLE"]
        })
        #expect(students.first == "hugo.martin" && students.last == "stefan-mircea.popescu")
    }

    @Test func theCSVHasTheConsolesColumnsAndIsJournalled() throws {
        let db = try SheetTests.database()
        var filter = BatchFilter()
        filter.classes = ["2NDE 3"]
        filter.profiles = [.student]
        let output = try Sheets.batchCSV(db.database, filter: filter, sort: [.class], staff: "cpe", channel: .cli)
        let lines = String(decoding: output.bytes, as: UTF8.self).split(separator: "\n")
        #expect(
            lines.first
                == "\u{FEFF}\"Nom\";\"Prénom\";\"Profil\";\"Login\";\"Code d'activation\";\"Courriel\";\"Classe\";\"Date de création\""
        )
        #expect(lines.count == 5)
        #expect(lines[1] == #""Cœur";"Léa";"Élève";"lea.coeur";"a3b4c5d6";"";"2NDE 3";"""#)
        let action = try db.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT action FROM journal ORDER BY seq DESC LIMIT 1")
        }
        #expect(action == "batch-exported")
        // Our own importer reads it back as a publipostage list.
        let again = try ExportFile.parse(bytes: output.bytes, name: "liste.csv")
        #expect(again.kind == .publipostage)
    }

    @Test func thePreviewNamesTheAccountsInBatchOrderAndJournalsNothing() throws {
        let db = try SheetTests.database()
        var filter = BatchFilter()
        filter.classes = ["2NDE 3"]
        filter.profiles = [.student]
        let count = { try db.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM journal")! } }
        let before = try count()
        let entries = try Sheets.preview(db.database, filter: filter, sort: [.class])
        #expect(
            entries.map(\.login) == [
                "lea.coeur", "marie-clementine.de-la-tour-d-auvergne-montmorency", "zoe.gerard", "thi-lan.nguyen"
            ])
        #expect(
            entries.first
                == BatchPreviewEntry(
                    login: "lea.coeur", lastName: "Cœur", firstName: "Léa", profile: .student, class: "2NDE 3",
                    structure: "Lycée Jean-Jaurès"))
        #expect(try count() == before)
    }

    @Test func classesAreListedOnceEachInSchoolOrder() throws {
        var e = ENTExport.family
        e.add(id: "30", type: "Student", last: "Dix", first: "Paul", login: "paul.dix", classes: "2NDE 10")
        e.add(id: "31", type: "Student", last: "Petit", first: "Lou", login: "lou.petit", classes: "2nde 3")
        let db = try TemporaryDatabase()
        try db.importCSV(e.text)
        // "2nde 3" is the same class as "2NDE 3", listed once under its most frequent spelling; 10 comes after 2.
        #expect(try Sheets.classNames(db.database) == ["2NDE 1", "2NDE 2", "2NDE 3", "2NDE 10", "1ERE G1", "TLE G2"])
        // Kept until the next import (`ImportScoped`), then read again: a class the next export adds is listed.
        let now = Date()
        try db.importCSV(e.text, now: now)
        e.add(id: "32", type: "Student", last: "Roy", first: "Zoé", login: "zoe.roy", classes: "1ERE G7")
        try db.importCSV(e.text, now: now)
        #expect(try Sheets.classNames(db.database) == ["2NDE 1", "2NDE 2", "2NDE 3", "2NDE 10", "1ERE G1", "1ERE G7", "TLE G2"])
    }

    @Test func aBatchThatSelectsNobodyIsRefusedWithoutAJournalRow() throws {
        let db = try SheetTests.database()
        var filter = BatchFilter()
        filter.classes = ["6EME Z"]
        #expect(throws: SheetError.emptyBatch) {
            try Sheets.batch(
                db.database, filter: filter, sort: [.class], perPage: .eight, staff: "cpe", channel: .cli,
                settings: SheetTests.settings)
        }
    }
}
