import Foundation
import GRDB
import TestSupport
import Testing
@testable import Guichet

/// The credential sheets, read back with pdftotext as a person (or a printer) would get them.
@Suite struct SheetTests {
    static let settings = SheetSettings(
        schoolName: "Lycée Jean-Jaurès", entURL: "https://ent.example.org",
        timeZone: TimeZone(identifier: "Europe/Paris")!)
    static let longLast = "de La Tour d'Auvergne-Montmorency-Laval-Nguyễn"
    static let longFirst = "Marie-Clémentine Anne-Sophie Éléonore"

    /// The Gérard family and friends, plus names from everywhere and one very long name.
    static func database() throws -> TemporaryDatabase {
        var e = ENTExport.family
        e.add(
            id: "20", type: "Student", last: "Nguyễn", first: "Thị Lan", login: "thi-lan.nguyen", code: "t7w3xk9p",
            classes: "2NDE 3", parents: "Øyvind Nguyễn")
        e.add(
            id: "21", type: "Relative", last: "Nguyễn", first: "Øyvind", login: "oyvind.nguyen", code: "e5r8hy4m",
            classes: "2NDE 3", children: "Thị Lan Nguyễn")
        e.add(
            id: "22", type: "Student", last: "Straße-Œillet", first: "Łucja", login: "lucja.strasse-oeillet", classes: "1ERE G1")
        e.add(
            id: "23", type: "Student", last: "Popescu", first: "Ștefan-Mircea", login: "stefan-mircea.popescu",
            code: "w9b4ds6c", classes: "TLE G2")
        e.add(
            id: "24", type: "Student", last: longLast, first: longFirst,
            login: "marie-clementine.de-la-tour-d-auvergne-montmorency",
            code: "k8x5hv3r", classes: "2NDE 3")
        let db = try TemporaryDatabase()
        try db.importCSV(e.text)
        return db
    }

    static func desk(
        _ db: TemporaryDatabase, _ login: String, to recipient: Recipient = .owner, idCheck: IDCheck = .cni,
        settings: SheetSettings = settings
    ) throws -> (DeskSheet, String) {
        let sheet = try Sheets.printAtDesk(
            db.database, login: login, idCheck: idCheck, recipient: recipient, staff: "agent",
            channel: .kiosk, settings: settings, now: Date(timeIntervalSince1970: 1_774_000_000))
        let pdf = try PDFFile(sheet.pdf)
        defer { pdf.remove() }
        try pdf.savePNGs("desk-\(login)")
        #expect(try pdf.pageCount == 1)
        return (sheet, try pdf.text())
    }

    /// pdftotext keeps letter-spaced codes whole or splits them with spaces: compare without spaces.
    static func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    @Test func aStudentNotYetActivatedGetsLoginCodeAddressAndFirstSteps() throws {
        let db = try Self.database()
        let (sheet, text) = try Self.desk(db, "zoe.gerard", to: .parent(login: "sophie.gerard"), idCheck: .passport)
        #expect(sheet.variant == "not-activated")
        for expected in [
            "Lycée Jean-Jaurès", "GÉRARD Zoé", "Élève de 2NDE 3", "zoe.gerard", "IDENTIFIANT", "CODE D'ACTIVATION",
            "https://ent.example.org", "Première connexion", "Choisissez votre mot de passe et saisissez-le deux fois.",
            "charte", "Fiche n° \(sheet.number)", "Données ENT du", "fiche imprimée le 20/03/2026 à 10:46",
            "Découper ici", "Sophie Gérard (parent)", "pièce d'identité vérifiée : passeport", "par agent"
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(Self.squeezed(text).contains("zk7mrp4t"))
        #expect(!text.contains("Mot de passe oublié"))
    }

    @Test func theSheetNumberIsTheJournalRowWrittenWithIt() throws {
        let db = try Self.database()
        let (sheet, _) = try Self.desk(db, "zoe.gerard", to: .parent(login: "marc.gerard"), idCheck: .known)
        let row = try db.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM journal ORDER BY seq DESC LIMIT 1")!
        }
        #expect(row["seq"] == sheet.number)
        #expect(row["action"] == "sheet-printed")
        #expect(row["target"] == "zoe.gerard")
        #expect(row["staff"] == "agent")
        let details: String = row["details"]
        #expect(details == #"{"handover":"parent","idCheck":"known","recipient":"marc.gerard","variant":"not-activated"}"#)
        #expect(!details.contains("zk7mrp4t"))
    }

    /// Children in register order; French elides "de" before a vowel: "d'Inès", then "de Zoé".
    @Test func aParentsSheetNamesTheChildrenAndTheirClasses() throws {
        let db = try Self.database()
        let (_, text) = try Self.desk(db, "sophie.gerard")
        #expect(text.contains("GÉRARD Sophie"))
        #expect(
            text.replacingOccurrences(of: "\n", with: " ").contains("Parent d'Inès Gérard (TLE G2) et de Zoé Gérard (2NDE 3)"))
        #expect(Self.squeezed(text).contains("hc5wxa8n"))
    }

    @Test func anActivatedAccountGetsTheForgottenPasswordProcedureAndNoCode() throws {
        let db = try Self.database()
        let (sheet, text) = try Self.desk(db, "ines.gerard")
        #expect(sheet.variant == "activated")
        for expected in ["ines.gerard", "COMPTE DÉJÀ ACTIVÉ", "Mot de passe oublié ?", "code de renouvellement"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(!text.contains("CODE D'ACTIVATION") && !text.contains("Première connexion"))
    }

    @Test func aFederatedProfileSaysHowToConnectAndNeverPrintsLoginOrCode() throws {
        let db = try Self.database()
        var settings = Self.settings
        settings.federation = Federation([.relative: [.educonnect, .franceconnect]])
        let (sheet, text) = try Self.desk(db, "sophie.gerard", settings: settings)
        #expect(sheet.variant == "federated")
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        #expect(flat.contains("SE CONNECTE AVEC") && flat.contains("EduConnect ou FranceConnect"))
        #expect(flat.contains("choisissez « EduConnect » ou « FranceConnect »"))
        // No login under IDENTIFIANT (the receipt the school keeps still names the account).
        #expect(!text.contains("IDENTIFIANT") && text.components(separatedBy: "sophie.gerard").count == 2)
        #expect(!Self.squeezed(text).contains("hc5wxa8n") && !text.contains("CODE D'ACTIVATION"))
        #expect(!flat.contains("votre compte votre compte"))
        // Students are not federated here: their sheet still carries the code.
        let (_, student) = try Self.desk(db, "zoe.gerard", settings: settings)
        #expect(Self.squeezed(student).contains("zk7mrp4t"))
    }

    @Test(
        arguments: [
            ("thi-lan.nguyen", ["NGUYỄN Thị Lan", "Élève de 2NDE 3"], "t7w3xk9p"),
            ("oyvind.nguyen", ["NGUYỄN Øyvind", "Parent de Thị Lan Nguyễn (2NDE 3)"], "e5r8hy4m"),
            ("lucja.strasse-oeillet", ["STRAẞE-ŒILLET Łucja", "Élève de 1ERE G1"], nil),
            ("stefan-mircea.popescu", ["POPESCU Ștefan-Mircea", "Élève de TLE G2"], "w9b4ds6c")
        ] as [(String, [String], String?)])
    func everyNamePrintsWithItsOwnLetters(login: String, names: [String], code: String?) throws {
        let db = try Self.database()
        let (_, text) = try Self.desk(db, login)
        for name in names { #expect(text.contains(name), "missing \(name) in \(text)") }
        #expect(text.contains(login))
        if let code { #expect(Self.squeezed(text).contains(code)) }
    }

    @Test func englishSheetsUseTheEnglishWording() throws {
        let db = try Self.database()
        var settings = Self.settings
        settings.language = .en
        let (sheet, text) = try Self.desk(db, "sophie.gerard", to: .owner, idCheck: .residencePermit, settings: settings)
        #expect(text.contains("Sheet no. \(sheet.number)") && text.contains("First sign-in") && text.contains("residence permit"))
        #expect(text.replacingOccurrences(of: "\n", with: " ").contains("Parent of Inès Gérard (TLE G2) and Zoé Gérard (2NDE 3)"))
    }

    @Test func aRecipientWhoIsNotALinkedParentIsRefusedAndNothingIsJournalled() throws {
        let db = try Self.database()
        let before = try db.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM journal")! }
        #expect(throws: SheetError.notALinkedParent(recipient: "aissatou.ndiaye", account: "zoe.gerard")) {
            try Sheets.printAtDesk(
                db.database, login: "zoe.gerard", idCheck: .cni, recipient: .parent(login: "aissatou.ndiaye"),
                staff: "agent", channel: .kiosk, settings: Self.settings)
        }
        #expect(throws: SheetError.accountNotFound("nobody")) {
            try Sheets.printAtDesk(
                db.database, login: "nobody", idCheck: .cni, recipient: .owner, staff: "agent",
                channel: .kiosk, settings: Self.settings)
        }
        #expect(try db.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM journal")! } == before)
    }
}
