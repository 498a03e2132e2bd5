import Foundation
import Testing
@testable import Guichet

/// The import's plan, computed without a database: what a file does to a set of stored accounts.
@Suite struct ImportPlanTests {
    static let day1 = "2026-03-16", day2 = "2026-03-17"

    static func rows(_ export: ENTExport, name: String = "export.csv") throws -> (rows: [ImportedAccount], kind: ExportKind) {
        let file = try ExportFile.parse(bytes: Array(export.text.utf8), name: name)
        return (file.accounts, file.kind)
    }

    /// The plan of `rows` against `stored` on `today`, both steps.
    static func plan(
        _ rows: [ImportedAccount], _ kind: ExportKind, over stored: [StoredAccount],
        today: String, newAccountsLater: Bool = false
    ) throws -> ImportPlan {
        var accounts = StoredAccounts(stored, keyedByEntId: rows.first?.entId != nil)
        let matching = try ImportPlan.match(rows, with: &accounts, file: "export.csv")
        let loaded = StoredAccounts.Loaded(
            Dictionary(uniqueKeysWithValues: stored.filter { matching.toLoad.contains($0.id!) }.map { ($0.id!, $0) }))
        return ImportPlan(
            rows: rows, kind: kind, stored: accounts, matching: matching, loaded: loaded, today: today,
            newAccountsLater: newAccountsLater)
    }

    @Test func aFirstImportAddsEveryRowWithIdsInFileOrder() throws {
        let (rows, kind) = try Self.rows(.family)
        let plan = try Self.plan(rows, kind, over: [], today: Self.day1)
        #expect(plan.counts == ImportPlan.Counts(added: 13))
        #expect(plan.ids == Array(1...13))
        #expect(plan.added == Array(0..<13) && plan.rewritten.isEmpty && plan.markSeen.isEmpty && plan.gone.isEmpty)
        #expect(plan.accounts.map(\.login) == rows.map(\.login))
        #expect(plan.accounts.allSatisfy { $0.firstSeen == Self.day1 && $0.lastSeen == Self.day1 && $0.fingerprint != nil })
        #expect(plan.reindexNew == Array(0..<13) && plan.reindexOld.isEmpty)
        #expect(plan.links == .rebuild)
        #expect(!plan.rebuildsAccountIndexes)
    }

    @Test func theSameFileAgainKeepsEveryAccountAndTheLinks() throws {
        let (rows, kind) = try Self.rows(.family)
        let first = try Self.plan(rows, kind, over: [], today: Self.day1)
        let again = try Self.plan(rows, kind, over: first.accounts, today: Self.day2)
        #expect(again.counts == ImportPlan.Counts(unchanged: 13))
        #expect(again.accounts.isEmpty && again.markSeen.isEmpty && again.gone.isEmpty)
        #expect(again.reindexNew.isEmpty && again.reindexOld.isEmpty)
        #expect(again.links == .keepPrevious)
        #expect(again.ids == first.ids)
    }

    @Test func aSecondFileIsSortedIntoAddedChangedActivatedGoneAndUnchanged() throws {
        let (rows, kind) = try Self.rows(.family)
        let first = try Self.plan(rows, kind, over: [], today: Self.day1)
        var next = ENTExport.family
        next.rows[0][7] = ""  // Zoé activated her account
        next.rows[3][14] = "marc.gerard@free.fr"  // Marc gave an e-mail address
        next.rows[5][3] = "Ndiaye"  // Aïssatou's name as the ENT now writes it
        next.rows.remove(at: 7)  // Léa Cœur left the feed
        next.add(id: "99", type: "Student", last: "Öztürk", first: "Elif", login: "elif.ozturk", classes: "2NDE 3")
        let (rows2, _) = try Self.rows(next)
        let plan = try Self.plan(rows2, kind, over: first.accounts, today: Self.day2)
        #expect(plan.counts == ImportPlan.Counts(added: 1, changed: 2, activated: 1, goneFromFeed: 1, unchanged: 9))
        #expect(plan.gone == [8])
        #expect(plan.ids.last == 14)  // after the highest stored id
        let zoe = try #require(plan.accounts.first { $0.login == "zoe.gerard" })
        #expect(zoe.activatedSince == Self.day2 && zoe.firstSeen == Self.day1 && zoe.lastSeen == Self.day2)
        // Only a changed name changes the index rows: Aïssatou's old ones go, hers and Elif's come.
        #expect(plan.reindexOld.map(\.login) == ["aissatou.ndiaye"])
        #expect(plan.reindexNew.map { plan.accounts[$0].login } == ["aissatou.ndiaye", "elif.ozturk"])
        #expect(plan.links == .rebuild)
    }

    /// A rewritten account is updated without its indexed columns when it keeps their values (an e-mail given, an
    /// account activated), with them when one changed (a login, an alias).
    @Test func aRewrittenAccountKeepsItsIndexedColumnsUnlessOneOfThemChanged() throws {
        let (rows, kind) = try Self.rows(.family)
        let first = try Self.plan(rows, kind, over: [], today: Self.day1)
        var next = ENTExport.family
        next.rows[0][7] = ""  // activated
        next.rows[1][5] = "ines.gerard2"  // a new login
        next.rows[2][6] = "lili.g"  // an alias
        next.rows[3][14] = "marc.gerard@free.fr"  // an e-mail
        let plan = try Self.plan(try Self.rows(next).rows, kind, over: first.accounts, today: Self.day2)
        #expect(plan.rewritten.count == plan.rewrittenKeepsIndexedColumns.count)
        let keeps = Dictionary(
            uniqueKeysWithValues: zip(plan.rewritten.map { plan.accounts[$0].id! }, plan.rewrittenKeepsIndexedColumns))
        #expect(keeps == [1: true, 2: false, 3: false, 4: true])
    }

    @Test func anAccountBackInTheFeedIsMarkedSeenAndCountedBack() throws {
        let (rows, kind) = try Self.rows(.family)
        var stored = try Self.plan(rows, kind, over: [], today: Self.day1).accounts
        stored[7].goneSince = Self.day1  // Léa had left
        let plan = try Self.plan(rows, kind, over: stored, today: Self.day2)
        #expect(plan.counts == ImportPlan.Counts(backInFeed: 1, unchanged: 12))
        #expect(plan.markSeen == [8])
        #expect(plan.links == .rebuild)  // somebody came back: the links are made again
    }

    @Test func aPublipostageListMarksNobodyGoneAndLeavesTheLinks() throws {
        let (rows, kind) = try Self.rows(.family)
        let stored = try Self.plan(rows, kind, over: [], today: Self.day1).accounts
        let list = try ExportFile.parse(
            bytes: Array(
                ("Nom;Prénom;Profil;Login;Code d'activation;Courriel;Classe;Date de création\n"
                    + "Gérard;Zoé;Élève;zoe.gerard;;;2NDE 3;01/09/2025\n").utf8), name: "publipostage.csv")
        let plan = try Self.plan(list.accounts, list.kind, over: stored, today: Self.day2)
        #expect(list.kind == .publipostage)
        #expect(plan.counts == ImportPlan.Counts(activated: 1))
        #expect(plan.gone.isEmpty && plan.links == .none)
        #expect(plan.accounts.first?.parentsNames == stored[0].parentsNames)  // a column the list lacks is kept
    }

    @Test func aNewRowWithAStoredLoginOfAnotherAccountIsRefused() throws {
        let (rows, kind) = try Self.rows(.family)
        let stored = try Self.plan(rows, kind, over: [], today: Self.day1).accounts
        var next = ENTExport.family
        next.rows[0][0] = "100"  // another ENT id, Zoé's login
        let (rows2, _) = try Self.rows(next)
        #expect(throws: ImportError.self) { try Self.plan(rows2, kind, over: stored, today: Self.day2) }
    }

    @Test func aPlanThatLeavesTheNewAccountsToTheExecutorMakesTheSameAccountsAndCounts() throws {
        let (rows, kind) = try Self.rows(.family)
        let first = try Self.plan(rows, kind, over: [], today: Self.day1)
        let streamed = try Self.plan(rows, kind, over: [], today: Self.day1, newAccountsLater: true)
        #expect(streamed.accounts.isEmpty && streamed.added.isEmpty && streamed.reindexNew.isEmpty)
        #expect(streamed.newRows == Array(0..<13) && streamed.counts == first.counts && streamed.ids == first.ids)
        #expect(streamed.rebuildsAccountIndexes == first.rebuildsAccountIndexes && streamed.links == first.links)
        func columns(_ a: StoredAccount) -> [String?] {
            [
                a.id.map(String.init), a.login, a.entId, a.classes, a.childrenNames, a.parentsNames, a.firstSeen,
                a.lastSeen, a.sortKey, a.searchText, a.nameWords, a.fingerprint.map(String.init)
            ]
        }
        let made = streamed.newRows.map { ImportPlan.newAccount(from: rows[$0], id: streamed.ids[$0], today: Self.day1) }
        #expect(made.map(columns) == first.accounts.map(columns))

        // The next day: a newcomer among changed rows; the changed ones stay in `accounts`, the newcomer does not.
        var next = ENTExport.family
        next.rows[0][7] = ""
        next.rows[5][3] = "Ndiaye"
        next.add(id: "99", type: "Student", last: "Öztürk", first: "Elif", login: "elif.ozturk", classes: "2NDE 3")
        let (rows2, _) = try Self.rows(next)
        let whole = try Self.plan(rows2, kind, over: first.accounts, today: Self.day2)
        let later = try Self.plan(rows2, kind, over: first.accounts, today: Self.day2, newAccountsLater: true)
        #expect(later.counts == whole.counts && later.ids == whole.ids && later.gone == whole.gone)
        #expect(later.newRows == [rows2.count - 1] && later.added.isEmpty)
        #expect(later.accounts.map(columns) == whole.rewritten.map { columns(whole.accounts[$0]) })
        #expect(later.reindexOld.map(\.login) == ["aissatou.ndiaye"])
        #expect(later.reindexNew.map { later.accounts[$0].login } == ["aissatou.ndiaye"])
    }
}
