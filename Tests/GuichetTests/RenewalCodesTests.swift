import Foundation
import GRDB
import Testing
@testable import Guichet

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    var function: @Sendable () -> Date { { [self] in now } }
}

/// The family fixture, staff "agent", and renewal codes on a test clock.
struct RenewalFixture: @unchecked Sendable {  // shared read-only across threads in the concurrency test
    let temporary: TemporaryDatabase
    let clock = TestClock()
    let codes: RenewalCodes
    var database: GuichetDatabase { temporary.database }

    init(settings: RenewalSettings = .standard) throws {
        temporary = try TemporaryDatabase()
        try temporary.importCSV(ENTExport.family.text)
        try Staff.add(temporary.database, name: "agent", role: .agent, password: "agent-password-1", by: "test")
        codes = try RenewalCodes(database: temporary.database, settings: settings, now: clock.function)
    }

    func refusal(_ login: String, _ code: String) -> RenewalRefusal? {
        do { try codes.redeem(login: login, code: code, by: "apikey:test"); return nil } catch RenewalError.refused(let reason) {
            return reason
        } catch { Issue.record("unexpected \(error)"); return nil }
    }

    func journal() throws -> [Row] {
        try database.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM journal ORDER BY seq") }
    }

    func state(of login: String) throws -> [String] {
        try database.writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT r.state FROM renewal_code r JOIN account a ON a.id = r.account_id WHERE a.login = ? ORDER BY r.id
                    """, arguments: [login])
        }
    }
}

@Suite struct RenewalCodesTests {
    @Test func codesAreUniformOverTheAlphabet() throws {
        // Chi-square smoke test, 27 degrees of freedom: 63 is exceeded with probability about 1e-4 by a fair
        // generator, so nine such checks fail by chance about once in a thousand runs.
        let settings = RenewalSettings.standard
        let alphabet = RenewalSettings.alphabet
        let samples = 20_000
        var overall = [Character: Int](), byPosition = Array(repeating: [Character: Int](), count: settings.length)
        for _ in 0..<samples {
            for (position, c) in settings.newCode().enumerated() {
                overall[c, default: 0] += 1
                byPosition[position][c, default: 0] += 1
            }
        }
        #expect(Set(overall.keys) == Set(alphabet))
        func chiSquare(_ counts: [Character: Int], _ total: Int) -> Double {
            let expected = Double(total) / Double(alphabet.count)
            return alphabet.reduce(0) { $0 + pow(Double(counts[$1] ?? 0) - expected, 2) / expected }
        }
        #expect(chiSquare(overall, samples * settings.length) < 63)
        for counts in byPosition { #expect(chiSquare(counts, samples) < 63) }
    }

    @Test func lengthIsConfigurableFromEightToSixteen() throws {
        #expect(throws: RenewalError.self) { try RenewalSettings(length: 7) }
        #expect(throws: RenewalError.self) { try RenewalSettings(length: 17) }
        #expect(throws: RenewalError.self) { try RenewalSettings(validity: 0) }
        let f = try RenewalFixture(settings: try RenewalSettings(length: 16, validity: 3600))
        let issued = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        #expect(issued.code.count == 16 && issued.code.allSatisfy(RenewalSettings.alphabet.contains))
        #expect(issued.expiresAt == f.clock.now.addingTimeInterval(3600))
    }

    @Test func onlyActivatedAccountsGetACode() throws {
        let f = try RenewalFixture()
        #expect(throws: RenewalError.notActivated("zoe.gerard")) {
            try f.codes.issue(login: "zoe.gerard", by: "agent", channel: .kiosk)
        }
        #expect(throws: RenewalError.accountNotFound("nobody")) {
            try f.codes.issue(login: "nobody", by: "agent", channel: .kiosk)
        }
        #expect(throws: RenewalError.staffNotAllowed("ghost")) {
            try f.codes.issue(login: "marc.gerard", by: "ghost", channel: .cli)
        }
        #expect(try f.state(of: "zoe.gerard").isEmpty)
    }

    @Test func aCodeIsRedeemedExactlyOnceAsTypedAloud() throws {
        let f = try RenewalFixture()
        let issued = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        #expect(issued.expiresAt == f.clock.now.addingTimeInterval(24 * 3600))
        let typed = issued.code.grouped(by: 4).uppercased()  // "K7QX 4M2P": spaces and case do not matter
        #expect(try f.codes.redeem(login: "marc.gerard", code: typed, by: "apikey:test") == "marc.gerard")
        #expect(f.refusal("marc.gerard", issued.code) == .consumed)
        #expect(try f.state(of: "marc.gerard") == ["redeemed"])
    }

    @Test func reissuingRevokesThePreviousCode() throws {
        let f = try RenewalFixture()
        let first = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        let second = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        #expect(first.code != second.code)
        #expect(f.refusal("marc.gerard", first.code) == .revoked)
        #expect(try f.codes.redeem(login: "marc.gerard", code: second.code, by: "apikey:test") == "marc.gerard")
        #expect(try f.state(of: "marc.gerard") == ["revoked", "redeemed"])
        let issuedRows = try f.journal().filter { $0["action"] == "renewal-issued" }
        #expect((issuedRows.last?["details"] as String?)?.contains("\"replaced\":\"revoked\"") == true)
    }

    @Test func aCodeExpiresWithTheInjectedClock() throws {
        let f = try RenewalFixture()
        let early = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        f.clock.advance(24 * 3600 - 1)
        #expect(try f.codes.redeem(login: "marc.gerard", code: early.code, by: "apikey:test") == "marc.gerard")
        let late = try f.codes.issue(login: "ines.gerard", by: "agent", channel: .kiosk)
        f.clock.advance(24 * 3600)
        #expect(f.refusal("ines.gerard", late.code) == .expired)
        #expect(try f.state(of: "ines.gerard") == ["expired"])
        #expect(f.refusal("ines.gerard", late.code) == .expired)
    }

    @Test func fiveWrongAttemptsVoidTheLiveCode() throws {
        let f = try RenewalFixture()
        let issued = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        for _ in 0..<5 { #expect(f.refusal("marc.gerard", "aaaaaaaa") == .wrong) }
        #expect(f.refusal("marc.gerard", issued.code) == .voided)
        #expect(try f.state(of: "marc.gerard") == ["voided"])
        let actions = try f.journal().map { $0["action"] as String }
        #expect(actions.filter { $0 == "renewal-voided" }.count == 1)
        #expect(actions.suffix(3) == ["renewal-refused", "renewal-voided", "renewal-refused"])
    }

    @Test func fourWrongAttemptsStillLeaveTheCodeUsable() throws {
        let f = try RenewalFixture()
        let issued = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        for _ in 0..<4 { #expect(f.refusal("marc.gerard", "bbbbbbbb") == .wrong) }
        #expect(try f.codes.redeem(login: "marc.gerard", code: issued.code, by: "apikey:test") == "marc.gerard")
        // Wrong attempts against another account do not count against this one, and an unknown login is "wrong".
        #expect(f.refusal("nobody.at.all", issued.code) == .wrong)
    }

    @Test func aHundredConcurrentRedemptionsLetExactlyOneThrough() throws {
        let f = try RenewalFixture()
        #expect(f.database.writer is DatabasePool)
        let issued = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        let lock = NSLock()
        nonisolated(unsafe) var successes = 0
        nonisolated(unsafe) var refusals: [RenewalRefusal] = []
        DispatchQueue.concurrentPerform(iterations: 100) { _ in
            let outcome = f.refusal("marc.gerard", issued.code)
            lock.withLock { if let outcome { refusals.append(outcome) } else { successes += 1 } }
        }
        #expect(successes == 1)
        #expect(refusals.count == 99 && refusals.allSatisfy { $0 == .consumed })
        #expect(try f.journal().filter { $0["action"] == "renewal-redeemed" }.count == 1)
        #expect(try f.database.writer.read { db in try Journal.verify(db) }.count > 100)
    }

    @Test func theJournalNamesWhoAndWhyButNeverTheCode() throws {
        let f = try RenewalFixture()
        let issued = try f.codes.issue(login: "marc.gerard", by: "agent", channel: .kiosk)
        _ = f.refusal("marc.gerard", "cccccccc")
        try f.codes.redeem(login: "marc.gerard", code: issued.code, by: "apikey:ent")
        let rows = try f.journal().filter { ($0["action"] as String).hasPrefix("renewal-") }
        #expect(rows.map { $0["action"] as String } == ["renewal-issued", "renewal-refused", "renewal-redeemed"])
        #expect(rows[0]["staff"] == "agent" && rows[0]["target"] == "marc.gerard")
        #expect((rows[0]["details"] as String).contains(Timestamp.format(issued.expiresAt)))
        #expect((rows[1]["details"] as String).contains("\"reason\":\"wrong\""))
        #expect(rows[2]["staff"] == "apikey:ent" && rows[2]["channel"] == "api")
        for row in try f.journal() { #expect(!(row.description.lowercased().contains(issued.code))) }
    }
}
