import Foundation
import GRDB
import Testing
@testable import Guichet

/// `verify` against many tampered copies of one real journal: edits, deletions, insertions and reorderings of random
/// rows, each of which must be named at the first row it breaks.
@Suite struct JournalPropertyTests {
    enum Tampering: CaseIterable { case edit, delete, insert, reorder }

    /// Applies one random tampering to `db` and returns the seq `verify` must name.
    static func tamper(_ db: Database, _ kind: Tampering, first: Int64, last: Int64, rng: inout SeededGenerator) throws -> Int64 {
        switch kind {
        case .edit:
            let seq = Int64.random(in: first...last, using: &rng)
            let column = ["at", "staff", "channel", "action", "target", "details", "prev_hash", "hash"].randomElement(
                using: &rng)!
            let old = try String.fetchOne(db, sql: "SELECT \(column) FROM journal WHERE seq = ?", arguments: [seq])
            // The smallest plausible edit: one character changed, added, or a NULL filled in.
            var new = old.map { $0.isEmpty ? "x" : String($0.dropLast()) + ($0.last == "0" ? "1" : "0") } ?? "someone"
            if column == "channel" { new = old == "kiosk" ? "cli" : "kiosk" }
            try db.execute(sql: "UPDATE journal SET \(column) = ? WHERE seq = ?", arguments: [new, seq])
            return seq
        case .delete:
            // Not the last row: cutting the tail is what the signed paper head is for (see Journal's header).
            let seq = Int64.random(in: first...(last - 1), using: &rng)
            try db.execute(sql: "DELETE FROM journal WHERE seq = ?", arguments: [seq])
            return seq + 1
        case .insert:
            // A careful forger, who even holds the journal key: the row chains onto its predecessor and its hash
            // matches its content; the rows after it are renumbered. Row seq + 1 (the old seq) no longer chains.
            let seq = Int64.random(in: (first + 1)...last, using: &rng)
            try db.execute(sql: "UPDATE journal SET seq = -seq - 1000000 WHERE seq >= ?", arguments: [seq])
            try db.execute(sql: "UPDATE journal SET seq = -seq - 1000000 + 1 WHERE seq < 0")
            let previous = try String.fetchOne(db, sql: "SELECT hash FROM journal WHERE seq = ?", arguments: [seq - 1])!
            let forged = JournalRow(
                seq: seq, at: Timestamp.format(Date()), staff: "agent", channel: "kiosk",
                action: "code-revealed", target: "zoe.gerard", details: "{}", previousHash: previous, hash: "")
            try db.execute(
                sql: "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    forged.seq, forged.at, forged.staff, forged.channel, forged.action, forged.target,
                    forged.details, forged.previousHash, try Journal.expectedHash(db, forged, keyedFrom: Journal.keyedFrom(db))
                ])
            return seq + 1
        case .reorder:
            let a = Int64.random(in: first...(last - 1), using: &rng)
            let b = Int64.random(in: (a + 1)...last, using: &rng)
            try db.execute(
                sql:
                    "UPDATE journal SET seq = -1 WHERE seq = ?; UPDATE journal SET seq = ? WHERE seq = ?; UPDATE journal SET seq = ? WHERE seq = -1",
                arguments: [a, a, b, b])
            return a
        }
    }

    @Test func verifyNamesTheFirstBadRowOfEveryTamperedCopy() throws {
        let t = try JournalFixture.real()
        let intact = try t.database.writer.read { db in try Journal.verify(db) }
        #expect(intact.count >= 300 && intact.firstSeq > 1 && intact.signOffsChecked == 4)
        var rng = SeededGenerator(state: 20261121)
        var caught: [Tampering: Int] = [:]
        for trial in 0..<400 {
            let kind = Tampering.allCases[trial % Tampering.allCases.count]
            let copy = try JournalFixture.untriggeredCopy(of: t)
            let expected = try copy.writeWithoutTransaction { db in
                try Self.tamper(db, kind, first: intact.firstSeq, last: intact.headSeq, rng: &rng)
            }
            let verdict = try JournalFixture.verdict(copy)
            guard case .broken(let seq, _) = verdict else {
                Issue.record("trial \(trial): \(kind) not caught")
                continue
            }
            #expect(seq == expected, "trial \(trial): \(kind) should be named at row \(expected), not \(seq) (\(verdict!))")
            caught[kind, default: 0] += 1
        }
        #expect(caught.values.reduce(0, +) == 400)
    }
}
