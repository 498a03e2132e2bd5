import Foundation
import GRDB
import TestSupport
import Testing
@testable import Guichet

@Suite struct JournalExportReportTests {
    let paris = JournalFixture.paris

    func export(_ t: TemporaryDatabase, _ format: JournalExportFormat) throws -> String {
        var text = ""
        try Journal.export(
            t.database, from: ReviewDay.day, to: ReviewDay.day, format: format, staff: "cpe", channel: .cli,
            timeZone: paris
        ) { text += $0 }
        return text
    }

    @Test func aJSONExportCarriesEnoughToRecomputeTheChainWithTheKey() throws {
        let t = try ReviewDay.make()
        let rows = try JSONDecoder().decode([JournalRow].self, from: Data(try export(t, .json).utf8))
        #expect(rows.count == 21)
        for (previous, row) in zip(rows, rows.dropFirst()) {
            let sealed = try t.database.writer.read { db in try Journal.expectedHash(db, row, keyedFrom: Journal.keyedFrom(db)) }
            #expect(sealed == row.hash && row.previousHash == previous.hash)
            #expect(row.computedHash() != row.hash)  // without the key, nobody can recompute it
        }
        let last = try t.database.writer.read { db in try Journal.head(db) }
        #expect(last?.action == "journal-exported" && last?.detailsObject["rows"] == .number(21))
    }

    @Test func aCSVExportQuotesWhatNeedsQuoting() throws {
        let t = try ReviewDay.make()
        let csv = try export(t, .csv)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.first == "seq,at,staff,channel,action,target,details,prev_hash,hash")
        #expect(lines.count == 23)  // header, 21 rows, and the empty string after the last CRLF
        #expect(lines.contains { $0.contains(#",,kiosk,sign-in-failed,,"{""from"":""127.0.0.1"",""name"":""marc"""#) })
        #expect(Journal.csvField("a\r\nb") == "\"a\r\nb\"" && Journal.csvField(nil) == "" && Journal.csvField("plain") == "plain")
    }

    @Test func theDailyReportShowsTheHeadTheFlagsAndAPlaceToSign() throws {
        let t = try ReviewDay.make()
        let now = ReviewDay.at(18, 45)
        let pdf = try JournalReport.render(
            t.database, day: ReviewDay.day, rules: ReviewRules(), schoolName: "Lycée Jean-Jaurès",
            by: "cpe", now: now)
        let text = try pdfText(pdf, keepAs: "guichet-journal-report.pdf")
        let head = try #require(try ReviewDay.review(t).head)
        for expected in [
            "LYCÉE JEAN-JAURÈS", "Journal du guichet", "vendredi 14 juin 2024", "entrée n° \(head.seq)",
            head.hash.grouped(by: 8), "chaîne intègre", "Rafale de fiches", "marie : 12 fiches",
            "Fiche ou code pour un compte du personnel", "helene.lefevre-coeur (enseignant)",
            "Connexions refusées", "Hors des heures d'ouverture", "Code d'activation affiché",
            "Visa du responsable", "Signature :", "Fiche imprimée", "identifiant tenté : marc", "Page 1 / 2", "Page 2 / 2"
        ] {
            #expect(text.contains(expected), "the report lacks \(expected)")
        }
    }

    @Test func aLongDayRunsOverPagesWithTheirNumbers() throws {
        let t = try ReviewDay.make(sheetsInBurst: 90)
        let pdf = try JournalReport.render(
            t.database, day: ReviewDay.day, rules: ReviewRules(), schoolName: "Lycée Jean-Jaurès",
            by: "cpe", now: ReviewDay.at(18, 45))
        let text = try pdfText(pdf, keepAs: "guichet-journal-report-long.pdf")
        // "Page n / N" on every page, the same N on each, and the table's header repeated on each page it spans.
        let numbers = text.matches(of: /Page (\d+) \/ (\d+)/).map { (Int($0.1)!, Int($0.2)!) }
        let total = try #require(numbers.first?.1)
        #expect(total >= 3 && numbers.map(\.0) == Array(1...total) && numbers.allSatisfy { $0.1 == total })
        #expect(text.components(separatedBy: "Heure").count - 1 >= total - 1)
    }
}

/// The text of a PDF as poppler's pdftotext reads it; the file is also kept in the temporary folder (to look at).
func pdfText(_ bytes: [UInt8], keepAs name: String) throws -> String {
    try Data(bytes).write(to: FileManager.default.temporaryDirectory.appendingPathComponent(name))
    return try pdfText(bytes)
}
