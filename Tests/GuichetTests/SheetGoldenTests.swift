import Foundation
import TestSupport
import Testing
@testable import Guichet

/// The sheets' wording, variant by variant, as pdftotext reads it from the PDF: compared with the texts in
/// `Golden/`. A wording change shows up here as a diff to review; `GOLDEN_UPDATE=1 swift test --filter
/// SheetGoldenTests` rewrites the files after the review.
@Suite struct SheetGoldenTests {
    static let now = Date(timeIntervalSince1970: 1_774_000_000)
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func settings(federated: Bool = false, previous: [String] = [], language: SheetLanguage = .fr) -> SheetSettings {
        var s = SheetSettings(
            schoolName: "Lycée Jean-Jaurès", entURL: "https://ent.example.org", entName: "MonLycée.net",
            federation: federated ? Federation([.relative: [.educonnect, .franceconnect]]) : Federation(),
            language: language, timeZone: TimeZone(identifier: "Europe/Paris")!)
        s.previousENTs = previous
        return s
    }

    /// (golden file, login, recipient, settings, medium)
    static let cases: [(String, String, Recipient, SheetSettings, SheetMedium)] = [
        ("fr-not-activated", "zoe.gerard", .owner, settings(), .paper),
        ("fr-not-activated-to-parent", "zoe.gerard", .parent(login: "sophie.gerard"), settings(), .paper),
        ("fr-activated", "marc.gerard", .owner, settings(), .paper),
        ("fr-activated-carried-over", "marc.gerard", .owner, settings(previous: ["Lillie", "PCN"]), .paper),
        ("fr-federated", "sophie.gerard", .owner, settings(federated: true), .paper),
        ("fr-parent-with-children", "sophie.gerard", .owner, settings(), .paper),
        ("fr-parent-via-student", "sophie.gerard", .parent(login: "ines.gerard"), settings(), .paper),
        ("fr-mail-not-activated", "zoe.gerard", .owner, settings(), .mail),
        ("fr-mail-federated", "sophie.gerard", .owner, settings(federated: true), .mail),
        ("en-federated", "sophie.gerard", .owner, settings(federated: true, language: .en), .paper),
        ("en-activated-carried-over", "marc.gerard", .owner, settings(previous: ["Lillie"], language: .en), .paper)
    ]

    @Test(arguments: 0..<cases.count)
    func eachVariantReadsAsItsGoldenText(_ index: Int) throws {
        let (name, login, recipient, settings, medium) = Self.cases[index]
        let db = try TemporaryDatabase()
        try db.importCSV(ENTExport.family.text, now: Self.now)
        let raw: String
        if medium == .paper {
            let sheet = try Sheets.printAtDesk(
                db.database, login: login, idCheck: .passport, recipient: recipient, staff: "agent",
                channel: .kiosk, settings: settings, now: Self.now)
            let pdf = try PDFFile(sheet.pdf)
            defer { pdf.remove() }
            try pdf.savePNGs("golden-\(name)")
            raw = try pdf.text()
        } else {
            let person = try db.database.writer.read { db in try SheetPeople.load(login: login, db)!.person }
            let sheet = Sheet(
                person: person, settings: settings, stamp: Sheet.Stamp(number: "42", printedAt: Self.now, dataDate: Self.now))
            let bytes = try SheetRenderer.render([sheet], perPage: .one, settings: settings, title: "t", medium: .mail)
            let pdf = try PDFFile(bytes)
            defer { pdf.remove() }
            try pdf.savePNGs("golden-\(name)")
            raw = try pdf.text()
        }
        let text = Self.withoutDataDate(raw)
        let file = Self.folder.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["GOLDEN_UPDATE"] != nil {
            try Data(text.utf8).write(to: file)
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(text == golden, "\(name): pdftotext differs from Golden/\(name).txt (GOLDEN_UPDATE=1 rewrites it)")
    }

    /// The import's export date is the day the test runs: written "JJ/MM/AAAA" in the golden texts.
    static func withoutDataDate(_ text: String) -> String {
        text.replacing(/(Données ENT du|ENT data of) \d\d\/\d\d\/\d{4}/) { "\($0.output.1) JJ/MM/AAAA" }
    }

    @Test func anEmailedSheetHasNoCutLineNoReceiptNoSignature() throws {
        for (name, _, _, _, medium) in Self.cases where medium == .mail {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(name + ".txt"), encoding: .utf8)
            for paperOnly in ["Découper ici", "Récépissé", "Signature"] {
                #expect(!text.contains(paperOnly), "\(name): \(paperOnly)")
            }
        }
    }

    @Test func theWordingNamesTheENTAndPromisesNothing() throws {
        for (name, _, _, _, _) in Self.cases where name.hasPrefix("fr-") {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(name + ".txt"), encoding: .utf8)
            #expect(text.contains("MonLycée.net"), "\(name)")
            #expect(!text.contains("l'ENT") && !text.contains("aux notes"), "\(name)")
        }
    }

    @Test func theMailSubjectNamesTheENT() {
        #expect(SheetText.french.mail.subject("MonLycée.net") == "Votre compte MonLycée.net")
        #expect(SheetText.french.mail.subject(nil) == "Votre compte ENT")
        #expect(SheetText.english.mail.subject("MonLycée.net") == "Your MonLycée.net account")
    }
}
