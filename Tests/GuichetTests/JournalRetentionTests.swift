import Foundation
import GRDB
import Testing
@testable import Guichet

@Suite struct JournalRetentionTests {
    let paris = JournalFixture.paris
    let now = Timestamp.parse("2026-11-21T10:00:00Z")!

    /// One row a day at 09:00 Paris time for `days` days up to yesterday, oldest first, plus a sign-off of each of
    /// the first three days.
    func dailyJournal(days: Int) throws -> TemporaryDatabase {
        let t = try TemporaryDatabase()
        let today = JournalDay.of(now, in: paris)
        try t.database.writer.write { db in
            for back in stride(from: days, through: 1, by: -1) {
                let day = today.adding(days: -back)
                try JournalFixture.appendRaw(db, action: "search", at: day.start(in: paris).addingTimeInterval(9 * 3600))
            }
        }
        for back in [days, days - 1, days - 2] {
            let day = today.adding(days: -back)
            _ = try Journal.signOff(t.database, day: day, staff: "cpe", channel: .kiosk, timeZone: paris, now: now)
        }
        return t
    }

    @Test func purgeRemovesWholeOldDaysAndVerifyStillPasses() throws {
        let t = try dailyJournal(days: 400)
        let purge = try Journal.purge(t.database, keepMonths: 12, staff: "system", channel: .cli, timeZone: paris, now: now)
        #expect(purge.before == "2025-11-21")
        // Days 400…366 before today are gone (2025-10-17 … 2025-11-20), 2025-11-21 and after are kept.
        #expect(purge.removed == 35)
        let v = try t.database.writer.read { db in try Journal.verify(db) }
        #expect(v.firstSeq == 36 && v.firstSeq == purge.firstKeptSeq)
        #expect(v.signOffsChecked == 3)
        let oldest = try t.database.writer.read { db in try String.fetchOne(db, sql: "SELECT min(at) FROM journal") }
        #expect(oldest == "2025-11-21T08:00:00Z")
        #expect(try JournalFixture.lastAction(t) == "journal-purged")

        // A second purge later moves the anchor forward; appending still chains.
        let later = now.addingTimeInterval(40 * 86_400)
        let again = try Journal.purge(t.database, keepMonths: 12, staff: "system", channel: .cli, timeZone: paris, now: later)
        #expect(again.removed == 40 && again.firstKeptSeq == 76)
        _ = try t.database.writer.write { db in
            try Journal.append(db, JournalEntry(staff: "agent", channel: .kiosk, action: .search))
        }
        #expect(try JournalFixture.verdict(t.database.writer) == nil)
    }

    @Test func aPurgeOfEverythingLeavesOnlyItsOwnRowChainedToTheAnchor() throws {
        let t = try dailyJournal(days: 3)
        let purge = try Journal.purge(
            t.database, keepMonths: 6, staff: "system", channel: .cli, timeZone: paris,
            now: now.addingTimeInterval(300 * 86_400))
        #expect(purge.removed == 6 && purge.firstKeptSeq == 7)
        let v = try t.database.writer.read { db in try Journal.verify(db) }
        #expect(v.count == 1 && v.firstSeq == 7 && v.headSeq == 7)
    }

    @Test func deletesStayRefusedOutsideThePurge() throws {
        let t = try dailyJournal(days: 400)
        try Journal.purge(t.database, keepMonths: 12, staff: "system", channel: .cli, timeZone: paris, now: now)
        let writer = t.database.writer
        #expect(throws: DatabaseError.self) {
            try writer.write { db in try db.execute(sql: "DELETE FROM journal WHERE seq = 36") }
        }
        #expect(throws: DatabaseError.self) { try writer.write { db in try db.execute(sql: "DELETE FROM journal") } }
        #expect(throws: DatabaseError.self) {
            try writer.write { db in try db.execute(sql: "UPDATE journal SET staff = 'x' WHERE seq = 40") }
        }
        #expect(throws: DatabaseError.self) { try writer.write { db in try db.execute(sql: "DELETE FROM journal_anchor") } }
        #expect(throws: DatabaseError.self) {
            try writer.write { db in try db.execute(sql: "UPDATE journal_anchor SET first_seq = 1") }
        }
        // An anchor cannot move back, nor past the row after the last.
        #expect(throws: DatabaseError.self) {
            try writer.write { db in try db.execute(sql: "INSERT INTO journal_anchor VALUES (10, 'x', 'now', 'day')") }
        }
        #expect(throws: DatabaseError.self) {
            try writer.write { db in try db.execute(sql: "INSERT INTO journal_anchor VALUES (100000, 'x', 'now', 'day')") }
        }
    }

    @Test func verifyCatchesAnAnchorNoPurgeRecorded() throws {
        let t = try dailyJournal(days: 30)
        // Someone writes an anchor by hand to delete the first ten days: the anchor matches the chain, but no purge
        // entry records it.
        try t.database.writer.write { db in
            let hash = try String.fetchOne(db, sql: "SELECT hash FROM journal WHERE seq = 10")!
            try db.execute(sql: "INSERT INTO journal_anchor VALUES (11, ?, 'now', 'day')", arguments: [hash])
            try db.execute(sql: "DELETE FROM journal WHERE seq <= 10")
        }
        #expect(
            try JournalFixture.verdict(t.database.writer)
                == .broken(seq: 11, reason: "no purge entry records the anchor the journal starts from"))
    }

    @Test func nothingIsPurgedOutsideTheCNILRange() throws {
        let t = try dailyJournal(days: 400)
        for months in [0, 5, 13, 120] {
            #expect(throws: JournalRetentionError(keepMonths: months)) {
                try Journal.purge(t.database, keepMonths: months, staff: "system", channel: .cli, timeZone: paris, now: self.now)
            }
        }
        #expect(try JournalFixture.count(t) == 403)
    }

    @Test func aDayIsTheSchoolsMidnightToMidnightAcrossDaylightSaving() throws {
        // 29 March 2026: clocks go forward in Paris, the day lasts 23 hours.
        let day = try #require(JournalDay("2026-03-29"))
        let bounds = day.bounds(in: paris)
        #expect(bounds.start == "2026-03-28T23:00:00Z" && bounds.end == "2026-03-29T22:00:00Z")
        #expect(JournalDay("2026-02-30") == nil && JournalDay("2026-2-3") == nil && JournalDay("today") == nil)
        #expect(JournalDay("2026-03-31")!.adding(months: -1).description == "2026-02-28")
    }
}
