import Foundation
import GRDB
import Testing
@testable import Guichet

/// The conditions every path shares: a federated account is neither activated nor not (search and batch alike), and
/// an account gone from the export gets no e-mail, no renewal code and no place in a batch unless asked, refused by
/// the domain itself.
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

    @Test func aCardsRelativesCarryTheirProfileForTheFederatedBadge() throws {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        let card = try #require(
            try Accounts.detail(
                t.database, login: "zoe.gerard", revealCode: false, staff: "agent", channel: .kiosk,
                federation: Self.parentsFederated))
        // Sophie Gérard still has a code: without her profile the kiosk would call her "non activée".
        let sophie = try #require(card.parents.first { $0.login == "sophie.gerard" })
        #expect(!sophie.activated && sophie.profile == .relative && Self.parentsFederated.isFederated(sophie.profile))
        #expect(card.parents.allSatisfy { $0.profile == .relative })
    }

    /// The family fixture, then an export without Léa Cœur and Inès Gérard: both gone from the feed.
    static func withGone() throws -> TemporaryDatabase {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        var later = ENTExport()
        later.rows = ENTExport.family.rows.filter { !["lea.coeur", "ines.gerard"].contains($0[5]) }
        try t.importCSV(later.text)
        try Staff.add(t.database, name: "agent", role: .agent, password: "agent-password-1", by: "test")
        return t
    }

    func count(_ t: TemporaryDatabase, _ sql: String) throws -> Int {
        try t.database.writer.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func theDomainRefusesToEmailAGoneAccountAndQueuesNothing() throws {
        let t = try Self.withGone()
        #expect(try count(t, "SELECT count(*) FROM account WHERE gone_since IS NOT NULL") == 2)
        #expect(throws: Accounts.Refusal.self) {
            try Mailing.queueDesk(t.database, login: "ines.gerard", staff: "agent", channel: .kiosk)
        }
        #expect(try count(t, "SELECT count(*) FROM mail_outbox") == 0)
        #expect(try count(t, "SELECT count(*) FROM journal WHERE action = 'mail-queued'") == 0)
        // One still in the export, with an address: queued.
        _ = try Mailing.queueDesk(t.database, login: "sophie.gerard", staff: "agent", channel: .kiosk)
        #expect(try count(t, "SELECT count(*) FROM mail_outbox") == 1)
    }

    @Test func aBatchEmailLeavesGoneAccountsOutUnlessAsked() throws {
        let t = try Self.withGone()
        var filter = BatchFilter()
        filter.hasEmail = true
        #expect(!(try Mailing.preview(t.database, filter: filter, sort: [.name]).toSend.contains("ines.gerard")))
        filter.gone = nil
        #expect(try Mailing.preview(t.database, filter: filter, sort: [.name]).toSend.contains("ines.gerard"))
    }

    @Test func theDomainRefusesARenewalCodeForAGoneAccount() throws {
        let t = try Self.withGone()
        let codes = try RenewalCodes(database: t.database, settings: .standard)
        // Inès Gérard is activated: only her leaving stops the code.
        #expect(throws: Accounts.Refusal.self) { try codes.issue(login: "ines.gerard", by: "agent", channel: .cli) }
        #expect(try count(t, "SELECT count(*) FROM renewal_code") == 0)
        #expect(try count(t, "SELECT count(*) FROM journal WHERE action = 'renewal-issued'") == 0)
        _ = try codes.issue(login: "marc.gerard", by: "agent", channel: .cli)
        #expect(try count(t, "SELECT count(*) FROM renewal_code") == 1)
    }

    @Test func aGoneAccountsActivationCodeIsRevealedOnlyWhenConfirmedAndTheJournalSaysSo() throws {
        let t = try Self.withGone()
        // Léa Cœur left the export with her code: her card is still shown, its code is not.
        let card = try #require(
            try Accounts.detail(t.database, login: "lea.coeur", revealCode: false, staff: "agent", channel: .kiosk))
        #expect(card.goneFromFeed != nil && card.hasActivationCode && card.activationCode == nil)
        #expect(throws: Accounts.Refusal.gone(login: "lea.coeur", since: card.goneFromFeed ?? "")) {
            try Accounts.detail(t.database, login: "lea.coeur", revealCode: true, staff: "agent", channel: .kiosk)
        }
        #expect(try count(t, "SELECT count(*) FROM journal WHERE action = 'code-revealed'") == 0)
        let confirmed = try #require(
            try Accounts.detail(
                t.database, login: "lea.coeur", revealCode: true, staff: "cpe", channel: .kiosk, allowGone: true))
        #expect(confirmed.activationCode == "a3b4c5d6")
        let details = try t.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT details FROM journal WHERE action = 'code-revealed'")
        }
        #expect(details == [#"{"goneConfirmed":true}"#])
        // An account still in the export: revealed as before, nothing said of leaving.
        _ = try Accounts.detail(t.database, login: "zoe.gerard", revealCode: true, staff: "agent", channel: .kiosk)
        #expect(try count(t, "SELECT count(*) FROM journal WHERE action = 'code-revealed' AND details = '{}'") == 1)
    }
}
