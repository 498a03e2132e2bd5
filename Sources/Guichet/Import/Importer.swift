import Foundation
import GRDB

/// What an import changed, as printed by `guichet import` and stored in `import_run` and the journal.
public struct ImportSummary: Codable, Sendable, Equatable {
    public var file: String
    public var kind: ExportKind
    public var encoding: SourceEncoding
    public var rows: Int
    public var added = 0
    public var changed = 0
    /// The activation code disappeared since the last import: the person activated the account.
    public var activated = 0
    public var goneFromFeed = 0
    public var backInFeed = 0
    public var unchanged = 0
    public var links = LinkSummary()
    public var journalSeq: Int64 = 0

    public struct LinkSummary: Codable, Sendable, Equatable {
        public var linked = 0
        public var bothSides = 0
        public var oneSide = 0
        public var notFound = 0
        public var ambiguous: [Ambiguity] = []
    }

    /// A display name on `login` that matches several accounts of the school: reported, never guessed.
    public struct Ambiguity: Codable, Sendable, Equatable {
        public let login: String
        public let name: String
        public let candidates: [String]
    }
}

/// Imports an export into the database, all or nothing: one write transaction, rolled back on any error.
public enum Importer {
    /// Above this share of touched accounts, the search index is rebuilt whole (sorted bulk insert) rather than
    /// updated account by account.
    static let rebuildShare = 0.2

    /// `progress`, when given, hears each phase's name and duration (`guichet import --verbose`).
    public static func run(_ export: ExportFile, into database: GuichetDatabase, staff: String? = nil,
                           channel: Channel = .cli, now: Date = Date(),
                           progress: (@Sendable (String) -> Void)? = nil) throws -> ImportSummary {
        // A million-row import inserts at random into the login, ENT id and sort-key indexes: with SQLite's
        // default 2 MB page cache it thrashes. 256 MB (a ceiling, not an allocation) for this connection's import.
        try database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -262144") }
        defer { try? database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -2000") } }
        return try database.writer.write { db in
            try run(export, db: db, staff: staff, channel: channel, now: now, phases: PhaseClock(progress))
        }
    }

    static func run(_ export: ExportFile, db: Database, staff: String?, channel: Channel, now: Date,
                    phases: PhaseClock = PhaseClock(nil)) throws -> ImportSummary {
        let today = Timestamp.day(now)
        var summary = ImportSummary(file: URL(fileURLWithPath: export.name).lastPathComponent, kind: export.kind,
                                    encoding: export.encoding, rows: export.rowCount)
        let byEntId = export.accounts.first?.entId != nil
        var existing: [String: StoredAccount] = [:]
        var idByLogin: [String: (id: Int64, key: String)] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM account")
        while let row = try cursor.next() {
            let stored = StoredAccount(row: row)
            let key = byEntId ? (stored.entId ?? "login:" + stored.login.lowercased()) : stored.login.lowercased()
            existing[key] = stored
            idByLogin[stored.login.lowercased()] = (stored.id!, key)
        }
        let total = existing.count
        phases.lap("read \(total) stored accounts")
        let insert = try db.makeStatement(sql: "INSERT INTO account (\(StoredAccount.columns)) VALUES (\(Array(repeating: "?", count: 24).joined(separator: ",")))")
        let update = try db.makeStatement(sql: "UPDATE account SET (\(StoredAccount.columns)) = (\(Array(repeating: "?", count: 24).joined(separator: ","))) WHERE id = ?")
        var seen = Set<Int64>()
        var reindex: [(old: StoredAccount?, id: Int64)] = []
        var people: [FamilyLinks.Person] = []
        people.reserveCapacity(export.rowCount)

        for imported in export.accounts {
            let key = byEntId ? imported.entId! : imported.login.lowercased()
            var account: StoredAccount
            if let old = existing[key] {
                account = old.merged(with: imported)
                account.lastSeen = today
                let wasGone = old.goneSince != nil
                account.goneSince = nil
                if !old.isActivated && account.isActivated { account.activatedSince = today }
                if let other = idByLogin[imported.login.lowercased()], other.key != key {
                    throw ImportError(file: export.name, line: imported.line, problem: .loginTakenByAnotherAccount(
                        login: imported.login, entId: existing[other.key]?.entId ?? "-"))
                }
                if wasGone { summary.backInFeed += 1 }
                else if !old.isActivated && account.isActivated { summary.activated += 1 }
                else if !account.sameContent(as: old) { summary.changed += 1 }
                else { summary.unchanged += 1 }
                // `last_seen` of an account export is set in bulk below; a publipostage list only speaks for its own rows.
                let seenAgain = export.kind == .publipostage && old.lastSeen != today
                if !account.sameContent(as: old) || wasGone || seenAgain || account.activatedSince != old.activatedSince {
                    try update.execute(arguments: account.arguments + [old.id!])
                }
                if !account.sameIndex(as: old) { reindex.append((old, old.id!)) }
            } else {
                if let other = idByLogin[imported.login.lowercased()] {
                    throw ImportError(file: export.name, line: imported.line, problem: .loginTakenByAnotherAccount(
                        login: imported.login, entId: existing[other.key]?.entId ?? "-"))
                }
                account = StoredAccount().merged(with: imported)
                account.firstSeen = today
                account.lastSeen = today
                try insert.execute(arguments: account.arguments)
                account.id = db.lastInsertedRowID
                reindex.append((nil, account.id!))
                summary.added += 1
            }
            seen.insert(account.id!)
            people.append(FamilyLinks.Person(
                id: account.id!, login: account.login, profile: imported.profile, displayKey: imported.displayKey,
                structures: imported.structures ?? [], children: imported.children ?? [], parents: imported.parents ?? []))
        }

        phases.lap("wrote accounts")
        if export.kind == .accountExport {
            let markGone = try db.makeStatement(sql: "UPDATE account SET gone_since = ? WHERE id = ?")
            for old in existing.values where old.goneSince == nil && !seen.contains(old.id!) {
                try markGone.execute(arguments: [today, old.id!])
                summary.goneFromFeed += 1
            }
            try db.execute(sql: "UPDATE account SET last_seen = ? WHERE gone_since IS NULL AND last_seen <> ?",
                           arguments: [today, today])
            phases.lap("marked gone accounts")
            summary.links = try rebuildLinks(db, people: people)
            phases.lap("rebuilt family links")
        }

        if Double(reindex.count) > rebuildShare * Double(max(total, 1)) {
            try SearchIndex.rebuild(db)
        } else {
            for (old, id) in reindex {
                if let old { try SearchIndex.remove(db, id: id, searchText: old.searchText, sortKey: old.sortKey, classesJSON: old.classes,
                                                       nameWordsJSON: old.nameWords) }
                try SearchIndex.add(db, id: id)
            }
        }

        phases.lap(Double(reindex.count) > rebuildShare * Double(max(total, 1)) ? "rebuilt the search index" : "updated the search index")
        summary.journalSeq = try Journal.append(db, JournalEntry(
            staff: staff, channel: channel, action: .importRun, details: summary), at: now)
        let diff = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO import_run (imported_at, file_name, kind, encoding, data_date, rows, diff) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [Timestamp.format(now), summary.file, export.kind.rawValue, export.encoding.rawValue,
                             Timestamp.format(export.dataDate), export.rowCount, diff])
        return summary
    }

    /// Times the phases of an import for `progress`.
    final class PhaseClock {
        private let progress: (@Sendable (String) -> Void)?
        private var last = Date()

        init(_ progress: (@Sendable (String) -> Void)?) { self.progress = progress }

        func lap(_ phase: String) {
            guard let progress else { return }
            let now = Date()
            progress(String(format: "%@: %.2f s", phase, now.timeIntervalSince(last)))
            last = now
        }
    }

    /// Replaces every link with those the export gives (an account export lists the whole platform).
    private static func rebuildLinks(_ db: Database, people: [FamilyLinks.Person]) throws -> ImportSummary.LinkSummary {
        let family = FamilyLinks(people: people)
        try db.execute(sql: "DELETE FROM family_link")
        let insert = try db.makeStatement(sql: "INSERT INTO family_link (parent_id, child_id, seen_from) VALUES (?, ?, ?)")
        var summary = ImportSummary.LinkSummary()
        for link in family.links {
            try insert.execute(arguments: [link.parent, link.child, link.seenFrom])
            if link.seenFrom == "both" { summary.bothSides += 1 } else { summary.oneSide += 1 }
        }
        summary.linked = family.links.count
        summary.notFound = family.notFound
        summary.ambiguous = family.ambiguities.map { ImportSummary.Ambiguity(login: $0.login, name: $0.name, candidates: $0.candidates) }
        return summary
    }
}
