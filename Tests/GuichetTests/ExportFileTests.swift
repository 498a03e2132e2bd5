import Foundation
import Testing
@testable import Guichet

/// Every accepted variant of the ENT's files, and every rejection with its line.
@Suite struct ExportFileTests {
    func parse(_ text: String) throws(ImportError) -> ExportFile {
        try ExportFile.parse(bytes: Array(text.utf8), name: "export.csv")
    }

    func problem(_ bytes: [UInt8]) -> ImportError? {
        do { _ = try ExportFile.parse(bytes: bytes, name: "bad.csv"); return nil } catch { return error }
    }

    func problem(_ text: String) -> ImportError? { problem(Array(text.utf8)) }

    /// A long file is parsed in pieces on every core: its errors are still the file's first, with the file's lines.
    @Test func aLongFileReportsItsFirstErrorWithItsLine() throws {
        func file(badLine: Int?, duplicateAt: Int?) -> [UInt8] {
            var e = ENTExport()
            for n in 1...3000 {
                let login = n == duplicateAt ? "eleve5" : "eleve\(n)"
                e.add(id: "\(n)", type: n == badLine ? "Martien" : "Student", last: "Nom\(n)", first: "Élève", login: login)
            }
            return Array(e.text.utf8)
        }
        let good = try ExportFile.parse(bytes: file(badLine: nil, duplicateAt: nil), name: "long.csv")
        #expect(good.rowCount == 3000)
        #expect(good.accounts.map(\.line) == Array(2...3001))
        // Row n is on line n + 1.
        #expect(problem(file(badLine: 2500, duplicateAt: nil))?.line == 2501)
        #expect(problem(file(badLine: 2500, duplicateAt: 2000))?.problem == .duplicateLogin("eleve5", firstLine: 6))
        #expect(problem(file(badLine: 2500, duplicateAt: 2000))?.line == 2001)
        #expect(problem(file(badLine: 1500, duplicateAt: 2000))?.line == 1501)
    }

    @Test func readsTheCurrentExportWithBOMAndQuotes() throws {
        let file = try parse(ENTExport.family.text)
        #expect(file.kind == .accountExport)
        #expect(file.encoding == .utf8WithBOM)
        #expect(file.rowCount == 13)
        let zoe = file.accounts[0]
        #expect(zoe.firstName == "Zoé" && zoe.lastName == "Gérard" && zoe.login == "zoe.gerard")
        #expect(zoe.parents == ["Sophie Gérard", "Marc Gérard"])
        #expect(file.accounts[2].classes == ["2NDE 3", "TLE G2"])
        #expect(file.accounts[3].lastConnection == .some("2026-03-09 07:52"))
    }

    @Test func readsTheLegacyColumnSetUnquotedWithCRLF() throws {
        let text =
            "Id;Id Siecle;Type;Nom;Prénom;Login;Code d'activation;Fonction(s);Structure(s);Classe(s);Enfant(s);Parent(s)\r\n"
            + "a1;123;Student;Gérard;Zoé;zoe.gerard;zk7mrp4t;;Lycée Jean-Jaurès;2NDE 3;;Sophie Gérard\r\n"
            + "a2;124;Relative;Gérard;Sophie;sophie.gerard;;;Lycée Jean-Jaurès;2NDE 3;Zoé Gérard;\r\n"
        let file = try parse(text)
        #expect(file.encoding == .utf8)
        #expect(file.accounts.map(\.login) == ["zoe.gerard", "sophie.gerard"])
        #expect(file.accounts[0].activationCode == "zk7mrp4t")
        #expect(file.accounts[1].activationCode == "")
        #expect(file.accounts[0].email == nil)  // no e-mail column: nothing to say, nothing erased
    }

    @Test func readsThePublipostageList() throws {
        let text =
            "Nom;Prénom;Profil;Login;Code d'activation;Courriel;Classe;Date de création\n"
            + "\"Gérard\";\"Zoé\";\"Élève\";\"zoe.gerard\";\"zk7mrp4t\";\"\";\"2NDE 3\";\"01/09/2025\"\n"
        let file = try parse(text)
        #expect(file.kind == .publipostage)
        #expect(file.accounts[0].profile == .student)
        #expect(file.accounts[0].createdOn == .some("2025-09-01"))
    }

    @Test func readsWindows1252CommaSeparatedFromASpreadsheet() throws {
        var bytes: [UInt8] = Array("Nom,Prénom,Profil,Login,Code d'activation\r\n".utf8)
        // Re-encode the header's é and a row with é, ë and œ (0x9C in Windows-1252).
        bytes =
            Array("Nom,Pr".utf8) + [0xE9] + Array("nom,Profil,Login,Code d'activation\r\n".utf8)
            + Array("C".utf8) + [0x9C] + Array("ur,Nathana".utf8) + [0xEB] + Array("l,El".utf8) + [0xE8]
            + Array("ve,nathanael.coeur,abcd3456\r\n".utf8)
        let file = try ExportFile.parse(bytes: bytes, name: "excel.csv")
        #expect(file.encoding == .windows1252)
        #expect(file.separator == ",")
        #expect(file.accounts[0].lastName == "Cœur")
        #expect(file.accounts[0].firstName == "Nathanaël")
    }

    @Test func keepsUnescapedInnerQuotesAsTheENTWritesThem() throws {
        var e = ENTExport()
        e.add(id: "1", type: "Student", last: "Dupont \"Jojo\" Martin", first: "Jean", login: "jean.dupont")
        e.add(id: "2", type: "Student", last: "O\"Brien", first: "Kate", login: "kate.obrien")
        let file = try parse(e.text)
        #expect(file.accounts[0].lastName == "Dupont \"Jojo\" Martin")
        #expect(file.accounts[1].lastName == "O\"Brien")
    }

    @Test func readsDoubledQuotesAsASpreadsheetWritesThem() throws {
        let text = "Nom;Prénom;Profil;Login\n\"Dupont \"\"Jojo\"\"\";\"Jean\";\"Élève\";\"jean.dupont\"\n"
        #expect(try parse(text).accounts[0].lastName == "Dupont \"Jojo\"")
    }

    @Test func matchesColumnsByNameInAnyOrder() throws {
        let text = "Login;Profil;Prénom;Nom\nzoe.gerard;Élève;Zoé;Gérard\n"
        let a = try parse(text).accounts[0]
        #expect(a.login == "zoe.gerard" && a.lastName == "Gérard" && a.firstName == "Zoé")
    }

    @Test func importRejectsUnclosedQuote() {
        let text = ENTExport.family.text.replacingOccurrences(
            of: "\"ines@example.org\";\"\"", with: "\"ines@example.org\";\"06 12")
        let error = problem(text)
        #expect(error?.line == 3)
        #expect(error?.code == "unclosed-quote")
        #expect(error?.description.contains("bad.csv:3") == true)
    }

    @Test func aQuoteInsideAValueThatSwallowsASeparatorIsAFieldCountError() {
        let text = ENTExport.family.text.replacingOccurrences(of: "\"Inès\";", with: "\"Inès;")
        let error = problem(text)
        #expect(error?.problem == .fieldCount(found: 15, expected: 16))
        #expect(error?.line == 3)
    }

    @Test func importRejectsMissingRequiredColumn() {
        let error = problem("Id;Type;Nom;Prénom\n\"1\";\"Student\";\"Gérard\";\"Zoé\"\n")
        #expect(error?.problem == .missingColumn("Identifiant"))
        #expect(error?.line == 1)
    }

    @Test func importRejectsInvalidUTF8InAUTF8File() {
        var bytes = Array(ENTExport.family.text.utf8)
        let secondRow = bytes.indices.filter { bytes[$0] == 0x0A }[2] + 5  // inside line 4
        bytes[secondRow] = 0xFF
        let error = problem(bytes)
        #expect(error?.code == "invalid-utf8")
        #expect(error?.line == 4)
    }

    @Test func importRejectsInvalidUTF8WithoutBOMWhenTheFileAlsoHoldsUTF8() {
        let bytes = Array("Nom;Prénom;Profil;Login\nGérard;Zoé;Élève;zoe\n".utf8) + [0x43, 0xE9, 0x3B] + Array("x;Élève;y\n".utf8)
        let error = problem(bytes)
        #expect(error?.code == "invalid-utf8")
        #expect(error?.line == 3)
    }

    @Test func importRejectsTheSameLoginTwice() {
        var e = ENTExport()
        e.add(id: "1", type: "Student", last: "A", first: "B", login: "zoe.gerard")
        e.add(id: "2", type: "Student", last: "C", first: "D", login: "other")
        e.add(id: "3", type: "Student", last: "E", first: "F", login: "zoe.gerard")
        let error = problem(e.text)
        #expect(error?.problem == .duplicateLogin("zoe.gerard", firstLine: 2))
        #expect(error?.line == 4)
    }

    @Test func importRejectsAnEmptyFile() {
        #expect(problem("")?.problem == .emptyFile)
        #expect(problem([0xEF, 0xBB, 0xBF, 0x0A])?.problem == .emptyFile)
    }

    @Test func importRejectsAHeaderWithNoRows() {
        #expect(problem(ENTExport().text)?.problem == .noRows)
    }

    @Test func importRejectsAWrongFieldCount() {
        let error = problem("Nom;Prénom;Profil;Login\nGérard;Zoé;Élève\n")
        #expect(error?.problem == .fieldCount(found: 3, expected: 4))
        #expect(error?.line == 2)
    }

    @Test func importRejectsAnUnknownProfileNamingTheColumn() {
        let error = problem("Nom;Prénom;Profil;Login\nGérard;Zoé;Martien;zoe\n")
        #expect(error?.problem == .unknownProfile(column: "Profil", value: "Martien"))
        #expect(error?.line == 2)
    }

    @Test func importRejectsABadDate() {
        var e = ENTExport()
        e.add(id: "1", type: "Student", last: "A", first: "B", login: "a.b", lastConnection: "31-02-2026 10:00")
        let error = problem(e.text)
        #expect(error?.code == "bad-date")
        #expect(error?.description.contains("Dernière connexion") == true)
    }

    @Test func timestampsAndNameListsReadTheSameWhateverTheirShape() {
        // The ENT's own shape is read from its bytes, any other by splitting: both give the same answers.
        #expect(DateText.entTimestamp("09-03-2026 07:52") == "2026-03-09 07:52")
        #expect(DateText.entTimestamp("29/02/2024 23:59") == "2024-02-29 23:59")
        #expect(DateText.entTimestamp("9-3-2026 7:52") == "2026-03-09 07:52")
        #expect(DateText.entTimestamp("09-03-2026  07:52") == "2026-03-09 07:52")
        #expect(DateText.entTimestamp("2026-03-09 07:52") == "2026-03-09 07:52")
        for wrong in [
            "31-02-2026 10:00", "29-02-2025 10:00", "09-13-2026 10:00", "09-03-1899 10:00", "09-03-2026 24:00",
            "09-03-2026 10:60", "09.03.2026 10:00", "09-03-2026T10:00", "00-03-2026 10:00"
        ] {
            #expect(DateText.entTimestamp(wrong) == nil, "\(wrong)")
        }
        // Lists cut at their commas as `split(separator: ",")` cuts them, by characters: a comma followed by a
        // combining mark is one character with it, and is no separator.
        for cell in ["Zoé Gérard, Inès Gérard", " Léa ,, Noé\t,", "a,\u{301}b, c", "سارة, علي", "Marc,Anne ,  "] {
            let byCharacters = cell.split(separator: ",").map { ColumnMap.trimmed($0) }.filter { !$0.isEmpty }
            #expect(ColumnMap.listItems(cell) == byCharacters, "\(cell)")
        }
    }

    @Test func importRejectsAnEmptyLogin() {
        let error = problem("Nom;Prénom;Profil;Login\nGérard;Zoé;Élève;\n")
        #expect(error?.problem == .emptyValue(column: "Login"))
    }

    @Test func importRejectsSomethingThatIsNotAnExport() {
        #expect(problem("hello world\nfoo\n")?.code == "unknown-format")
    }
}
