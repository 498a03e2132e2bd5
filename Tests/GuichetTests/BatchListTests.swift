import Foundation
import TestSupport
import Testing
@testable import Guichet

/// The console's "prétraitement": the whole selection as a table, sorted, searched per column, paged.
@Suite struct BatchListTests {
    static func database() throws -> TemporaryDatabase {
        var e = ENTExport.family
        e.add(
            id: "30", type: "Personnel", last: "Vasseur", first: "Yann", login: "yann.vasseur", email: "yann.vasseur@ac-lille.fr")
        e.rows[e.rows.count - 1][8] = "ADMIN_LOCAL"
        let db = try TemporaryDatabase()
        try db.importCSV(e.text)
        return db
    }

    func page(
        _ db: TemporaryDatabase, _ filter: BatchFilter = BatchFilter(), _ configure: (inout BatchListQuery) -> Void = { _ in }
    ) throws -> BatchListPage {
        var query = BatchListQuery()
        configure(&query)
        return try Sheets.previewList(db.database, filter: filter, sort: [.class], query: query)
    }

    @Test func theWholeSelectionIsListedWithTheConsolesColumnsAndNoCode() throws {
        let db = try Self.database()
        let list = try page(db)
        #expect(list.total == 14 && list.matching == 14 && list.rows.count == 14)
        let zoe = try #require(list.rows.first { $0.login == "zoe.gerard" })
        #expect(zoe.hasCode && zoe.class == "2NDE 3" && zoe.created != nil && !zoe.localAdmin)
        let sophie = try #require(list.rows.first { $0.login == "sophie.gerard" })
        #expect(sophie.emailMasked == Masking.email("sophie.gerard@orange.fr"))
    }

    @Test func sortingSearchingAndPaging() throws {
        let db = try Self.database()
        let byFirst = try page(db) {
            $0.sort = .firstName; $0.limit = 3
        }
        #expect(byFirst.rows.map(\.firstName) == ["Aïssatou", "Camille", "Camille"] && byFirst.matching == 14)
        let second = try page(db) {
            $0.sort = .firstName; $0.limit = 3; $0.offset = 3
        }
        #expect(second.rows.map(\.firstName) == ["Hélène", "Hugo", "Inès"])
        let down = try page(db) {
            $0.sort = .lastName; $0.descending = true; $0.limit = 1
        }
        #expect(down.rows.map(\.login) == ["yann.vasseur"])
        let searched = try page(db) { $0.search = ["class": "2nde 3", "profile": "élève"] }
        #expect(searched.rows.map(\.login) == ["lea.coeur", "zoe.gerard"] && searched.total == 14 && searched.matching == 2)
        let names = try page(db) { $0.search = ["lastName": "GERARD", "firstName": "ines"] }
        #expect(names.rows.map(\.login) == ["ines.gerard"])
    }

    @Test func localAdministratorsInOrOut() throws {
        let db = try Self.database()
        var filter = BatchFilter()
        filter.localAdmins = true
        #expect(try page(db, filter).rows.map(\.login) == ["yann.vasseur"])
        #expect(try page(db, filter).rows.first?.localAdmin == true)
        filter.localAdmins = false
        #expect(try page(db, filter).total == 13)
    }
}

/// Federated accounts in batches: no code in the console's CSV, no code on the cards.
@Suite struct FederatedBatchTests {
    @Test func aFederatedAccountsCodeIsInNeitherTheCSVNorTheCards() throws {
        let db = try TemporaryDatabase()
        try db.importCSV(ENTExport.family.text)
        var filter = BatchFilter()
        filter.profiles = [.relative]
        filter.federation = Federation([.relative: [.educonnect]])
        let csv = String(
            decoding: try Sheets.batchCSV(db.database, filter: filter, sort: [.class], staff: "cpe", channel: .cli).bytes,
            as: UTF8.self)
        #expect(csv.contains("sophie.gerard") && !csv.contains("hc5wxa8n") && !csv.contains("gy6snb4e"))
        let settings = SheetSettings(
            schoolName: "Lycée Jean-Jaurès", entURL: "https://ent.example.org",
            federation: filter.federation)
        let batch = try Sheets.batch(
            db.database, filter: filter, sort: [.class], perPage: .eight, staff: "cpe", channel: .cli,
            settings: settings)
        let pdf = try PDFFile(batch.bytes)
        defer { pdf.remove() }
        try pdf.savePNGs("batch-federated")
        let text = try pdf.text().filter { !$0.isWhitespace }
        #expect(!text.contains("hc5wxa8n") && !text.contains("IDENTIFIANT") && text.contains("SECONNECTEAVEC"))
    }
}
