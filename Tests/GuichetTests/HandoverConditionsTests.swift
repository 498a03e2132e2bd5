import Foundation
import GRDB
import Testing
@testable import Guichet

/// The conditions every path shares: a federated account is neither activated nor not (search and batch alike).
@Suite struct HandoverConditionsTests {
    static let parentsFederated = Federation([.relative: [.educonnect, .franceconnect]])

    func search(_ t: TemporaryDatabase, _ text: String, className: String? = nil, activated: Bool) throws -> [String] {
        var q = SearchQuery(text: text, className: className, activated: activated)
        q.federation = Self.parentsFederated
        return try t.database.writer.read { db in try Search.run(q, in: db) }.results.map(\.login)
    }

    func batch(_ t: TemporaryDatabase, _ configure: (inout BatchFilter) -> Void) throws -> [String] {
        var filter = BatchFilter()
        filter.federation = Self.parentsFederated
        configure(&filter)
        return try Sheets.preview(t.database, filter: filter, sort: [.name]).map(\.login)
    }

    @Test func aFederatedParentIsNeitherActivatedNorNotInTheDesksSearch() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        // Sophie Gérard still has a code in the export, Marc Gérard none: both sign in with EduConnect.
        #expect(try search(t, "gerard", activated: false) == ["zoe.gerard"])
        #expect(try search(t, "gerard", activated: true) == ["ines.gerard"])
        // Without federation they are back in the lists, as before.
        #expect(try t.search("gerard", activated: false).results.map(\.login) == ["sophie.gerard", "zoe.gerard"])
        // The desk's search and the batch screen select the same accounts of a class.
        for activated in [true, false] {
            let searched = try search(t, "", className: "2NDE 3", activated: activated)
            let batched = try batch(t) {
                $0.classes = ["2NDE 3"]; $0.activated = activated
            }
            #expect(Set(searched) == Set(batched), "activated \(activated)")
            #expect(!batched.contains("sophie.gerard") && !batched.contains("marc.gerard"))
        }
    }
}
