import Foundation
import Testing
@testable import Guichet

/// A search's journal details are written by hand (`JournalEntry(sortedTexts:)`): they must stay what `JSONEncoder`
/// writes for the same dictionary, since the row's hash covers them.
@Suite struct JournalDetailsTests {
    static let texts = [
        "Zoé", "N'Diaye", "a/b", #"quo"te"#, #"back\slash"#, "Cœur 😀", "\u{2028}x\u{2029}", "\u{7F}", "é\u{301}",
        "", #""Zoé" \ d'Éric""#, "tab\there", "new\nline", "\u{0}", "x\u{1F}", "2NDE 3", "0", "12345"
    ]

    @Test func handWrittenDetailsAreWhatJSONEncoderWrites() {
        // Every subset of the search's keys, in their sorted order, with texts to escape and to leave alone.
        let keys = ["activated", "class", "count", "gone", "hasEmail", "profile", "query", "structure"]
        for mask in 0..<(1 << keys.count) {
            for (t, text) in Self.texts.enumerated() {
                let pairs = keys.indices.filter { mask & (1 << $0) != 0 }.enumerated().map { i, k in
                    (keys[k], Self.texts[(t + i) % Self.texts.count] + (i == 0 ? text : ""))
                }
                let byHand = JournalEntry(staff: "agent", channel: .kiosk, action: .search, sortedTexts: pairs)
                let encoded = JournalEntry(
                    staff: "agent", channel: .kiosk, action: .search,
                    details: Dictionary(pairs, uniquingKeysWith: { a, _ in a }))
                #expect(Array(byHand.detailsJSON.utf8) == Array(encoded.detailsJSON.utf8), "\(pairs)")
            }
        }
    }

    @Test func aJournalledSearchWritesItsDetailsAsJSONEncoderWould() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        var query = SearchQuery(
            text: #"gérard "/\ x"#, className: "2NDE 3", activated: true, hasEmail: false, gone: false)
        query.profile = .student
        query.structure = "LYC"
        let result = try Search.journalled(query, in: t.database, staff: "agent", channel: .kiosk)
        let details = try t.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT details FROM journal WHERE action = 'search' ORDER BY seq DESC LIMIT 1")
        }
        let expected = JournalEntry(
            staff: "agent", channel: .kiosk, action: .search,
            details: [
                "query": query.text, "count": String(result.total), "profile": Profile.student.rawValue, "class": "2NDE 3",
                "structure": "LYC", "activated": "yes", "hasEmail": "no", "gone": "no"
            ])
        #expect(details == expected.detailsJSON)
    }
}
