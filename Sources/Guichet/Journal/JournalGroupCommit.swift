import Foundation
import GRDB

/// Journal rows for read-only actions (a search, a card viewed, a code revealed), committed in groups.
///
/// Each caller blocks until its row is durable, as before; but instead of one write transaction and one fsync per
/// request, whoever arrives while no commit is running becomes the leader and commits every row queued so far in
/// one transaction, then wakes the others (leader/follower group commit, as databases do for their logs). Under
/// load a commit carries as many rows as requests arrived during the previous one; alone, a request commits alone.
/// A failed commit fails every request of its group: none of them shows its result, and none has a row.
public final class JournalGroupCommit: @unchecked Sendable {
    // @unchecked: every mutable field below is read and written only with `condition` locked.
    private let writer: any DatabaseWriter
    private let condition = NSCondition()
    private var queue: [Waiter] = []
    private var committing = false

    private final class Waiter {
        let entry: JournalEntry
        var result: Result<Int64, any Error>?
        init(_ entry: JournalEntry) { self.entry = entry }
    }

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Appends `entry` and returns its sequence number once it is durable.
    @discardableResult
    public func append(_ entry: JournalEntry) throws -> Int64 {
        let waiter = Waiter(entry)
        condition.lock()
        queue.append(waiter)
        while waiter.result == nil {
            if committing {
                condition.wait()
                continue
            }
            committing = true
            let group = queue
            queue.removeAll()
            condition.unlock()
            let outcome = Result { try writer.write { db in try group.map { try Journal.append(db, $0.entry) } } }
            condition.lock()
            for (index, member) in group.enumerated() {
                member.result = outcome.map { $0[index] }
            }
            committing = false
            condition.broadcast()
        }
        condition.unlock()
        return try waiter.result!.get()
    }
}
