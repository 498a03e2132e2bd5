import Foundation
import GRDB
import GuichetCrypto
import Testing
@testable import Guichet

@Suite struct ImporterTests {
    @Test func firstImportAddsEveryone() throws {
        let t = try TemporaryDatabase()
        let s = try t.importCSV(ENTExport.family.text)
        #expect(s.rows == 13 && s.added == 13 && s.changed == 0 && s.unchanged == 0)
        #expect(try t.database.status().accounts == 13)
    }

    @Test func reimportingTheSameFileChangesNothing() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        let s = try t.importCSV(ENTExport.family.text)
        #expect(s.added == 0 && s.changed == 0 && s.activated == 0 && s.goneFromFeed == 0 && s.unchanged == 13)
    }

    @Test func secondImportReportsItsDiff() throws {
        let t = try TemporaryDatabase()
        let day1 = Date(timeIntervalSince1970: 1_790_000_000)
        try t.importCSV(ENTExport.family.text, now: day1)
        var next = ENTExport.family
        next.rows[0][7] = ""  // Zoé activated her account
        next.rows[3][14] = "marc.gerard@free.fr"  // Marc gave an e-mail address
        next.rows.remove(at: 7)  // Léa Cœur left the feed
        next.add(id: "99", type: "Student", last: "Öztürk", first: "Elif", login: "elif.ozturk", classes: "2NDE 3")
        let s = try t.importCSV(next.text, now: day1.addingTimeInterval(86_400))
        #expect(s.added == 1)
        #expect(s.activated == 1)
        #expect(s.changed == 1)
        #expect(s.goneFromFeed == 1)
        #expect(s.unchanged == 10)
        let lea = try t.search("lea coeur").results.first
        #expect(lea?.goneFromFeed == Timestamp.day(day1.addingTimeInterval(86_400)))
        #expect(try t.search("zoe gerard").results.first?.activated == true)

        // Léa comes back the day after: she is back in the feed, not added again.
        let back = try t.importCSV(ENTExport.family.text, now: day1.addingTimeInterval(2 * 86_400))
        #expect(back.backInFeed == 1)
        #expect(back.added == 0)
        #expect(back.goneFromFeed == 1)  // Elif is not in the original file
        #expect(try t.search("lea coeur").results.first?.goneFromFeed == nil)
    }

    @Test func aPublipostageListNeverMarksAnyoneGone() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        let list =
            "Nom;Prénom;Profil;Login;Code d'activation;Courriel;Classe;Date de création\n"
            + "Gérard;Zoé;Élève;zoe.gerard;;;2NDE 3;01/09/2025\n"
        let s = try t.importCSV(list, name: "publipostage.csv")
        #expect(s.kind == .publipostage)
        #expect(s.goneFromFeed == 0)
        #expect(s.activated == 1)
        #expect(try t.database.status().accounts == 13)
        // Columns the list does not have keep their values: Zoé's parents are still linked.
        #expect(try t.search("zoe gerard").results.first?.parents.count == 2)
    }

    @Test func linksSeenFromBothSidesAreMadeAndAmbiguousNamesReported() throws {
        let t = try TemporaryDatabase()
        let s = try t.importCSV(ENTExport.family.text)
        let zoe = try #require(try t.search("zoe gerard").results.first)
        #expect(Set(zoe.parents) == ["sophie.gerard", "marc.gerard"])
        let sophie = try #require(try t.search("sophie gerard").results.first)
        #expect(sophie.children == ["ines.gerard", "zoe.gerard"])
        // Two parents are named Camille Martin: each lists their own child, so both sides resolve them…
        #expect(try t.search("hugo martin").results.first?.parents == ["camille.martin"])
        #expect(try t.search("jade martin").results.first?.parents == ["camille.martin1"])
        // …but Noé's "Camille Martin" is claimed by no parent and could be either: reported, never guessed.
        #expect(try t.search("noe martin").results.first?.parents == [])
        #expect(
            s.links.ambiguous == [
                ImportSummary.Ambiguity(
                    login: "noe.martin", name: "Camille Martin",
                    candidates: ["camille.martin", "camille.martin1"])
            ])
    }

    @Test func aOneSidedLinkIsMadeWhenTheNameIsUniqueInTheSchool() throws {
        var e = ENTExport()
        e.add(id: "1", type: "Student", last: "Roux", first: "Léo", login: "leo.roux", parents: "Anne Roux")
        e.add(id: "2", type: "Relative", last: "Roux", first: "Anne", login: "anne.roux")
        e.add(id: "3", type: "Relative", last: "Roux", first: "Anne", login: "anne.roux1", school: "Collège Voltaire")
        let t = try TemporaryDatabase()
        let s = try t.importCSV(e.text)
        #expect(try t.search("leo roux").results.first?.parents == ["anne.roux"])
        #expect(s.links.oneSide == 1)
    }

    @Test func aParentsNamesAreMatchedInTheirSchoolReportedWhenAmbiguousAndCountedWhenUnknown() throws {
        var e = ENTExport()
        // Paul lists Lou (unique, who lists nobody), Emma (two of them in his school) and a child nobody is.
        e.add(
            id: "1", type: "Relative", last: "Blanc", first: "Paul", login: "paul.blanc",
            children: "Lou Noir, Emma Blanc, Personne Inconnue")
        e.add(id: "2", type: "Student", last: "Noir", first: "Lou", login: "lou.noir")
        e.add(id: "3", type: "Student", last: "Blanc", first: "Emma", login: "emma.blanc")
        e.add(id: "4", type: "Student", last: "Blanc", first: "Émma", login: "emma.blanc1")
        // A third Emma Blanc in another school is no candidate; one school listed twice still counts once.
        e.add(id: "5", type: "Student", last: "Blanc", first: "Emma", login: "emma.blanc2", school: "Collège Voltaire")
        e.add(
            id: "6", type: "Relative", last: "Vert", first: "Rose", login: "rose.vert",
            children: "Zoé Vert", school: "Lycée Jean-Jaurès, Collège Voltaire")
        e.add(
            id: "7", type: "Student", last: "Vert", first: "Zoe", login: "zoe.vert", parents: "Rose Vert",
            school: "Collège Voltaire")
        let t = try TemporaryDatabase()
        let s = try t.importCSV(e.text)
        #expect(try t.search("lou noir").results.first?.parents == ["paul.blanc"])
        #expect(try t.search("zoe vert").results.first?.parents == ["rose.vert"])
        #expect(s.links.linked == 2)
        #expect(s.links.oneSide == 1)
        #expect(s.links.bothSides == 1)
        #expect(s.links.notFound == 1)
        #expect(
            s.links.ambiguous == [
                ImportSummary.Ambiguity(
                    login: "paul.blanc", name: "Emma Blanc",
                    candidates: ["emma.blanc", "emma.blanc1"])
            ])
    }

    @Test func listColumnsAreStoredAsJSONThatReadsBackTheSame() throws {
        let values = ["Lycée \"Jean-Jaurès\"", "back\\slash", "tab\there", "line\nfeed", "bell\u{07}", "Nguyễn 🎓", ""]
        let text = JSONText.array(values)
        #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == values)
        #expect(text.hasPrefix(#"["Lycée \"Jean-Jaurès\"","back\\slash","tab\there","line\nfeed","bell\u0007""#))
        #expect(JSONText.array([]) == "[]")
        // Nothing to escape: the values copied whole.
        #expect(JSONText.array(["Lycée Jean-Jaurès", "", "Nguyễn 🎓"]) == #"["Lycée Jean-Jaurès","","Nguyễn 🎓"]"#)
        #expect(
            try JSONDecoder().decode([String].self, from: Data(JSONText.array(["2NDE 3", "TLE G2"]).utf8)) == ["2NDE 3", "TLE G2"]
        )
    }

    @Test func aLoginTakenByAnotherAccountIsRefusedNamingTheLine() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        var next = ENTExport.family
        next.rows.remove(at: 7)  // Léa left the feed, but her account is still stored…
        next.rows[1][5] = "LEA.COEUR"  // …and Inès (line 3) takes her login, in another case
        let error = try #require(throws: ImportError.self) { try t.importCSV(next.text, name: "next.csv") }
        #expect(error.line == 3)
        #expect(error.problem == .loginTakenByAnotherAccount(login: "LEA.COEUR", entId: "8"))
        #expect(try t.search("ines gerard").results.first?.login == "ines.gerard")
    }

    @Test func aNewcomerTakingAStoredLoginIsRefusedAtTheFirstSuchLineOfTheFile() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        var next = ENTExport.family
        next.rows.removeLast()  // Noé and Léa left the feed, their accounts still stored…
        next.rows.remove(at: 7)
        next.rows[1][5] = "LEA.COEUR"  // …Inès (line 4, once the newcomer is in) takes Léa's login…
        var newcomer = ENTExport()  // …and a newcomer, listed first (line 2), takes Noé's
        newcomer.add(id: "14", type: "Student", last: "Martin", first: "Noé", login: "Noe.Martin", classes: "2NDE 2")
        next.rows.insert(newcomer.rows[0], at: 0)
        let error = try #require(throws: ImportError.self) { try t.importCSV(next.text, name: "next.csv") }
        #expect(error.line == 2)
        #expect(error.problem == .loginTakenByAnotherAccount(login: "Noe.Martin", entId: "13"))
        #expect(try t.search("noe martin").results.map(\.login) == ["noe.martin"])
    }

    @Test func theIndexAfterChangesIsTheIndexARebuildMakes() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        var next = ENTExport.family
        next.rows[0][3] = "Girard"  // Zoé's last name corrected
        next.rows[1][10] = "1ERE G1"  // Inès changed class
        next.rows[4][6] = "nath"  // Nathanaël chose an alias
        next.rows.remove(at: 7)  // Léa left (she stays searchable, marked gone)
        next.add(id: "99", type: "Student", last: "Öztürk", first: "Elif", login: "elif.ozturk", classes: "2NDE 3")
        try t.importCSV(next.text)
        let tables = ["search_term", "name_pair", "account_class"]
        func rows() throws -> [[String]] {
            try t.database.writer.read { db in
                try tables.map { table in
                    try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2, 3").map { "\($0)" }
                }
            }
        }
        let incremental = try rows()
        try t.database.writer.write { db in try SearchIndex.rebuild(db) }
        #expect(try rows() == incremental)
        #expect(try t.logins("girard zoe") == ["zoe.gerard"])
        #expect(try t.search("girard").results.map(\.login) == ["zoe.gerard"])
        #expect(try t.search("nath").results.first?.login == "nathanael.ndiaye")
        #expect(try t.search("", className: "1ERE G1").results.map(\.login).contains("ines.gerard"))
    }

    @Test func aRowAListChangedIsMergedAgainByTheNextExport() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        let list =
            "Nom;Prénom;Profil;Login;Code d'activation;Courriel;Classe;Date de création\n"
            + "Gérard;Zoé;Élève;zoe.gerard;zk7mrp4t;zoe@example.org;2NDE 3;01/09/2025\n"
        #expect(try t.importCSV(list, name: "publipostage.csv").changed == 1)
        #expect(try t.search("zoe gerard").results.first?.hasEmail == true)
        // The same export as before: its row for Zoé is unchanged, but what is stored is not what it says.
        let again = try t.importCSV(ENTExport.family.text)
        #expect(again.changed == 1 && again.unchanged == 12)
        #expect(try t.search("zoe gerard").results.first?.hasEmail == false)
        #expect(try t.importCSV(ENTExport.family.text).unchanged == 13)
    }

    @Test func anUnchangedExportReportsTheLinksTheLastOneMade() throws {
        let t = try TemporaryDatabase()
        let first = try t.importCSV(ENTExport.family.text)
        let again = try t.importCSV(ENTExport.family.text)
        #expect(again.links == first.links && first.links.linked > 0)
        // One row changes: the links are matched again, and Léa's departure is seen.
        var next = ENTExport.family
        next.rows.remove(at: 7)
        #expect(try t.importCSV(next.text).links.linked == first.links.linked)
        let parents = try t.search("zoe gerard").results.first?.parents
        #expect(parents == ["marc.gerard", "sophie.gerard"])
    }

    @Test func aFailedImportLeavesTheDatabaseByteForByteAsItWas() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-bytes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("g.sqlite3").path
        do {
            let db = try GuichetDatabase(path: path, access: .command)
            _ = try Importer.run(try ExportFile.parse(bytes: Array(ENTExport.family.text.utf8), name: "a.csv"), into: db)
            try db.writer.close()
        }
        let before = try fileDigests(folder)
        // The first row is new and gets inserted; the second takes a login that belongs to another account:
        // the whole transaction rolls back.
        var bad = ENTExport()
        bad.add(id: "new", type: "Student", last: "Neuf", first: "Paul", login: "paul.neuf")
        bad.add(id: "other", type: "Student", last: "Gérard", first: "Zoé", login: "zoe.gerard")
        do {
            let db = try GuichetDatabase(path: path, access: .command)
            #expect(throws: ImportError.self) {
                try Importer.run(try ExportFile.parse(bytes: Array(bad.text.utf8), name: "bad.csv"), into: db)
            }
            try db.writer.close()
        }
        let after = try fileDigests(folder)
        #expect(after == before)
    }

    /// A first import on the command line runs with a rollback journal, its pages written once
    /// (`Importer.writesPagesOnce`), and leaves the file in WAL mode with no journal beside it; a second import, or a
    /// first one while another connection has the file open, stays in the WAL.
    @Test func aFirstImportWritesItsPagesOnceAndLeavesTheFileInWAL() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-first-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = Lines()
        func importFamily(_ path: String) throws -> (rollback: Bool, summary: ImportSummary) {
            lines.clear()
            let db = try GuichetDatabase(path: path, access: .command)
            defer { try? db.writer.close() }
            let summary = try Importer.run(
                try ExportFile.parse(bytes: Array(ENTExport.family.text.utf8), name: "a.csv"), into: db,
                progress: { lines.append($0) })
            #expect(try db.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
            #expect(try db.writer.read { db in try Journal.verify(db) }.count == summary.journalSeq)
            return (lines.all.contains { $0.contains("rollback journal") }, summary)
        }
        let path = folder.appendingPathComponent("g.sqlite3").path
        let first = try importFamily(path)
        #expect(first.rollback && first.summary.added == 13 && first.summary.links.linked > 0)
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        let again = try importFamily(path)
        #expect(!again.rollback && again.summary.unchanged == 13)

        // The service has the file open: leaving the WAL would make it wait, so the import does not.
        let shared = folder.appendingPathComponent("shared.sqlite3").path
        let service = try GuichetDatabase(path: shared, access: .server)
        _ = try service.status()
        let beside = try importFamily(shared)
        #expect(!beside.rollback && beside.summary.added == 13)
        #expect(try service.status().accounts == 13)
    }

    /// A re-import adds the near-spelling rows of the names it brings, and of those only (the vocabulary's other
    /// words have theirs): the tables end as the whole vocabulary's, made at once.
    @Test func aReimportAddsTheToleranceRowsOfItsNewNames() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        var next = ENTExport.family
        next.add(id: "99", type: "Student", last: "Vandenbroucke", first: "Elif", login: "elif.vandenbroucke")
        try t.importCSV(next.text)
        #expect(try t.search("vandenbrouke elif").results.map(\.login) == ["elif.vandenbroucke"])
        let rows = {
            try t.database.writer.read { db in
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT key || '|' || term FROM name_deletion UNION ALL SELECT code || '|' || term FROM name_sound ORDER BY 1"
                )
            }
        }
        let imported = try rows()
        #expect(imported.contains("vandenbrouke|vandenbroucke"))
        try t.database.writer.write { db in try SearchIndex.fillTolerance(db) }
        #expect(try rows() == imported)
    }

    /// Rewritten accounts that keep their indexed columns are updated without them: the indexes still agree with
    /// the table, and a changed login, alias or name is found by its new value only.
    @Test func aReimportKeepsTheAccountIndexesRightWhicheverColumnsChange() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        var next = ENTExport.family
        next.rows[0][7] = ""  // activated
        next.rows[1][5] = "ines.gerard2"  // a new login
        next.rows[2][6] = "lili.g"  // an alias
        next.rows[3][14] = "marc.gerard@free.fr"  // an e-mail
        next.rows[5][3] = "Sow"  // a new last name: a new sort key
        let summary = try t.importCSV(next.text)
        #expect(summary.changed + summary.activated == 5)
        func ids(_ sql: String) throws -> [Int64] { try t.database.writer.read { db in try Int64.fetchAll(db, sql: sql) } }
        let check = try t.database.writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(check == ["ok"])
        #expect(try ids("SELECT id FROM account INDEXED BY account_by_login WHERE login = 'ines.gerard2'") == [2])
        #expect(try ids("SELECT id FROM account INDEXED BY account_by_login WHERE login = 'ines.gerard'").isEmpty)
        #expect(try ids("SELECT id FROM account INDEXED BY account_by_alias WHERE alias = 'lili.g'") == [3])
        #expect(try ids("SELECT id FROM account INDEXED BY account_by_sort_key WHERE sort_key LIKE 'sow%'") == [6])
        #expect(try ids("SELECT id FROM account WHERE email = 'marc.gerard@free.fr'") == [4])
        #expect(try t.search("ines.gerard2").results.map(\.login) == ["ines.gerard2"])
    }

    /// `StoredAccount.indexedColumns`, which a rewrite leaves out when unchanged, are the columns the account table's
    /// indexes read (`AccountIndexes`): a new index on another column would make every rewrite maintain it again.
    @Test func theIndexedColumnsAreThoseOfTheAccountIndexes() throws {
        let t = try TemporaryDatabase()
        let columns = try t.database.writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT i.name FROM pragma_index_list('account') l, pragma_index_info(l.name) i
                    """)
        }
        #expect(Set(columns) == StoredAccount.indexedColumns)
    }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        func clear() { lock.withLock { lines = [] } }
        var all: [String] { lock.withLock { lines } }
    }

    @Test func everyImportIsJournalled() throws {
        let t = try TemporaryDatabase()
        let first = try t.importCSV(ENTExport.family.text)
        let second = try t.importCSV(ENTExport.family.text)
        #expect(first.journalSeq == 1 && second.journalSeq == 2)
        #expect(try t.database.writer.read { db in try Journal.verify(db) }.count == 2)
        let details = try t.database.writer.read { db in try String.fetchOne(db, sql: "SELECT details FROM journal WHERE seq = 2")
        }
        #expect(details?.contains("\"unchanged\":13") == true)
    }

    @Test func commitsAreDurableOnBothAccessModes() throws {
        let t = try TemporaryDatabase()
        let command = try GuichetDatabase(path: t.path + "-cli.sqlite3", access: .command)
        for database in [t.database, command] {
            #expect(try database.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)  // FULL
            #expect(try database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        }
    }

    @Test func migrationsRunOnAnEmptyFile() throws {
        let t = try TemporaryDatabase()
        let tables = try t.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["account", "search_term", "account_class", "family_link", "import_run", "journal"] {
            #expect(tables.contains(table))
        }
        let mode = try t.database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(try t.database.status().accounts == 0)
    }

    private func fileDigests(_ folder: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            out[name] = hexString(Digest.sha256([UInt8](data)))
        }
        return out
    }
}
