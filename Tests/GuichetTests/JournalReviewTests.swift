import Foundation
import GRDB
import Testing
@testable import Guichet

/// A Friday at the desk, 14 June 2024 (Paris), with something of every kind to look at.
enum ReviewDay {
    static let day = JournalDay("2024-06-14")!
    static let paris = JournalFixture.paris

    static func at(_ hour: Int, _ minute: Int, _ second: Int = 0, day: JournalDay = ReviewDay.day) -> Date {
        day.start(in: paris).addingTimeInterval(Double(hour * 3600 + minute * 60 + second))
    }

    static func make(sheetsInBurst: Int = 12) throws -> TemporaryDatabase {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        try t.database.writer.write { db in
            try JournalFixture.appendRaw(db, action: "search", staff: "agent", at: at(16, 0, day: day.adding(days: -1)))
            try JournalFixture.appendRaw(db, action: "import", staff: "system", at: at(3, 0))
            try JournalFixture.appendRaw(db, action: "sign-in", staff: "agent", at: at(7, 10))
            try JournalFixture.appendRaw(db, action: "code-revealed", staff: "agent", target: "zoe.gerard", at: at(9, 0))
            try JournalFixture.appendRaw(db, action: "sheet-printed", staff: "agent", target: "zoe.gerard", at: at(9, 5))
            try JournalFixture.appendRaw(
                db, action: "code-revealed", staff: "agent", target: "helene.lefevre-coeur", at: at(9, 10))
            for i in 0..<sheetsInBurst {
                try JournalFixture.appendRaw(
                    db, action: "sheet-printed", staff: "marie", target: "eleve\(i)", at: at(10, 0, i * 40))
            }
            for _ in 0..<2 {
                try JournalFixture.appendRaw(
                    db, action: "sign-in-failed", staff: nil,
                    details: #"{"from":"127.0.0.1","name":"marc","reason":"wrong-password"}"#, at: at(11, 0))
            }
            try JournalFixture.appendRaw(
                db, action: "search", staff: "cpe", details: #"{"count":"2","query":"gérard"}"#, at: at(12, 0))
            try JournalFixture.appendRaw(db, action: "search", staff: "marie", at: at(19, 0))
            try JournalFixture.appendRaw(db, action: "search", staff: "agent", at: at(8, 0, day: day.adding(days: 1)))
        }
        return t
    }

    static func review(_ t: TemporaryDatabase, staff: String? = nil, action: String? = nil) throws -> JournalReview {
        try t.database.writer.read { db in
            try JournalReview.make(db, day: day, staff: staff, action: action, rules: ReviewRules())
        }
    }
}

@Suite struct JournalReviewTests {
    @Test func theDayHoldsItsOwnEntriesAndCountsThem() throws {
        let review = try ReviewDay.review(try ReviewDay.make())
        #expect(review.entries.count == 21)
        #expect(review.entries.first?.action == "import" && review.entries.last?.staff == "marie")
        #expect(review.byStaff.first == .init(name: "marie", count: 13))
        #expect(review.byStaff.contains(.init(name: nil, count: 2)))
        #expect(review.byAction.first == .init(name: "sheet-printed", count: 13))
        #expect(review.head?.seq == review.entries.last?.seq)
        #expect(review.entries.first(where: { $0.staff == "cpe" })?.details["query"] == .string("gérard"))
    }

    @Test func flagsPointAtWhatDeservesALook() throws {
        let review = try ReviewDay.review(try ReviewDay.make())
        let kinds = review.flags.map(\.kind)
        #expect(kinds == [.outsideHours, .repeatedForAccount, .staffAccount, .burst, .signInFailures, .outsideHours])
        let repeated = try #require(review.flags.first { $0.kind == .repeatedForAccount })
        #expect(repeated.target == "zoe.gerard" && repeated.count == 2 && repeated.staff == "agent")
        let staffAccount = try #require(review.flags.first { $0.kind == .staffAccount })
        #expect(staffAccount.target == "helene.lefevre-coeur" && staffAccount.profile == "Teacher")
        let burst = try #require(review.flags.first { $0.kind == .burst })
        #expect(burst.staff == "marie" && burst.count == 12)
        let failures = try #require(review.flags.first { $0.kind == .signInFailures })
        #expect(failures.target == "marc" && failures.count == 2)
        // The 03:00 import is scheduled work, not a desk action outside hours.
        #expect(review.flags.filter { $0.kind == .outsideHours }.map(\.staff) == ["agent", "marie"])
    }

    @Test func tenSheetsInTenMinutesAreNoBurstButElevenAre() throws {
        #expect(try ReviewDay.review(try ReviewDay.make(sheetsInBurst: 10)).flags.contains { $0.kind == .burst } == false)
        #expect(try ReviewDay.review(try ReviewDay.make(sheetsInBurst: 11)).flags.contains { $0.kind == .burst })
    }

    @Test func filtersNarrowEntriesCountsAndFlags() throws {
        let t = try ReviewDay.make()
        let agent = try ReviewDay.review(t, staff: "AGENT")
        #expect(agent.entries.count == 4 && agent.byStaff == [.init(name: "agent", count: 4)])
        let failures = try ReviewDay.review(t, action: "sign-in-failed")
        #expect(failures.entries.count == 2 && failures.flags.map(\.kind) == [.signInFailures])
    }

    @Test func categoriesFollowTheActions() {
        #expect(ReviewCategory.of(JournalAction.sheetPrinted.rawValue) == .sheet)
        #expect(ReviewCategory.of(JournalAction.batchPrinted.rawValue) == .sheet)
        #expect(ReviewCategory.of(JournalAction.codeRevealed.rawValue) == .code)
        #expect(ReviewCategory.of(JournalAction.renewalIssued.rawValue) == .code)
        #expect(ReviewCategory.of(JournalAction.renewalSlipPrinted.rawValue) == .code)
        #expect(ReviewCategory.of(JournalAction.renewalRefused.rawValue) == nil)
        #expect(ReviewCategory.of(JournalAction.search.rawValue) == nil && ReviewCategory.of("no-such-action") == nil)
    }

    @Test func openingHoursParse() {
        let hours = ReviewRules.openingHours("07:30-18:30")
        #expect(hours?.opensAt == 450 && hours?.closesAt == 1110)
        #expect(ReviewRules.openingHours("18:30-07:30") == nil && ReviewRules.openingHours("7h30") == nil)
    }
}
