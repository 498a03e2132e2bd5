import Foundation
import GRDB

/// The console's "prétraitement": a batch's whole selection as a table — Nom, Prénom, Profil, Classe, Identifiant,
/// Code d'activation (masked: only whether there is one), Courriel (masked) and Date de création — sorted by any
/// column, searched column by column, a page at a time. Nothing is journalled: nothing is shown that the card does
/// not show, and a code is revealed only through the card's route (journalled there).
public enum BatchColumn: String, Sendable, Codable, CaseIterable {
    case lastName, firstName, profile, `class`, login, code, email, created
}

/// Which page of the table, in which order, with which searches.
public struct BatchListQuery: Sendable, Equatable, Decodable {
    public var offset = 0
    public var limit = 50
    /// nil: the batch's own order (as printed).
    public var sort: BatchColumn?
    public var descending = false
    /// Per column, text the cell must contain (accents, case and spaces ignored).
    public var search: [String: String] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey { case offset, limit, sort, descending, search }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        offset = max(0, try c.decodeIfPresent(Int.self, forKey: .offset) ?? 0)
        limit = min(500, max(1, try c.decodeIfPresent(Int.self, forKey: .limit) ?? 50))
        sort = try c.decodeIfPresent(BatchColumn.self, forKey: .sort)
        descending = try c.decodeIfPresent(Bool.self, forKey: .descending) ?? false
        search = try c.decodeIfPresent([String: String].self, forKey: .search) ?? [:]
    }
}

/// One row of the table.
public struct BatchListRow: Sendable, Equatable, Encodable {
    public let login: String
    public let lastName: String
    public let firstName: String
    public let profile: Profile
    public let `class`: String?
    /// The account still has an activation code (never the code itself here).
    public let hasCode: Bool
    /// Signs in through a federation: no code whatever the export says.
    public let federated: Bool
    public let emailMasked: String?
    /// "yyyy-MM-dd": the export's creation date, else the day Guichet first saw the account.
    public let created: String?
    public let localAdmin: Bool
    public let gone: Bool
    /// The class's structure, as the export names it.
    public var structure: String? = nil
}

/// A page of the table, with how many rows the batch has and how many the searches keep.
public struct BatchListPage: Sendable, Encodable {
    public let total: Int
    public let matching: Int
    public let offset: Int
    public let rows: [BatchListRow]
}

extension Sheets {
    /// The batch's selection as the console's table: searched, sorted, then cut to the page asked for.
    public static func previewList(
        _ database: GuichetDatabase, filter: BatchFilter, sort: [BatchSortKey],
        query: BatchListQuery
    ) throws -> BatchListPage {
        let members = try database.writer.read { db in try BatchSelection.select(filter, sort: sort, db) }
        var rows = members.map { m in
            let p = m.person
            return BatchListRow(
                login: p.login, lastName: p.lastName, firstName: p.firstName, profile: p.profile, class: m.listedClass,
                hasCode: !filter.federation.isFederated(p.profile) && !(p.activationCode ?? "").isEmpty,
                federated: filter.federation.isFederated(p.profile), emailMasked: p.email.flatMap(Masking.email),
                created: (p.createdOn ?? p.firstSeen).map { String($0.prefix(10)) },
                localAdmin: p.functions.contains { $0.uppercased().contains("ADMIN_LOCAL") }, gone: p.goneSince != nil,
                structure: m.listedStructure)
        }
        let total = rows.count
        let searches = query.search.compactMap { key, text -> (BatchColumn, String)? in
            guard let column = BatchColumn(rawValue: key) else { return nil }
            let folded = Folding.key(text)
            return folded.isEmpty ? nil : (column, folded)
        }
        if !searches.isEmpty {
            rows = rows.filter { row in searches.allSatisfy { column, text in Folding.key(cell(row, column)).contains(text) } }
        }
        if let column = query.sort {
            let keyed = rows.map { (key: sortKey($0, column, filter.classLevels), row: $0) }
            // A stable sort: equal cells keep the batch's order (class, then name).
            rows = keyed.enumerated().sorted { a, b in
                a.element.key != b.element.key ? (a.element.key < b.element.key) != query.descending : a.offset < b.offset
            }.map(\.element.row)
        }
        let page = Array(rows.dropFirst(query.offset).prefix(query.limit))
        return BatchListPage(total: total, matching: rows.count, offset: query.offset, rows: page)
    }

    /// The text a column shows (and is searched in): French profile names, "oui"/"non" for the code.
    static func cell(_ row: BatchListRow, _ column: BatchColumn) -> String {
        switch column {
        case .lastName: row.lastName
        case .firstName: row.firstName
        case .profile: SheetText.french.profile(row.profile) + " " + row.profile.rawValue
        // With its structure: the kiosk shows "2NDE 1 · Marie-Curie" when two structures have a "2NDE 1".
        case .class: [row.class, row.structure].compactMap { $0 }.joined(separator: " ")
        case .login: row.login
        case .code: row.federated ? "federe" : row.hasCode ? "oui yes" : "non no"
        case .email: row.emailMasked ?? ""
        case .created: row.created ?? ""
        }
    }

    private static func sortKey(_ row: BatchListRow, _ column: BatchColumn, _ levels: ClassLevels) -> String {
        switch column {
        case .lastName: Folding.sortKey(lastName: row.lastName, firstName: row.firstName)
        case .firstName: Folding.sortKey(lastName: row.firstName, firstName: row.lastName)
        case .profile: BatchSelection.profileOrder(row.profile)
        case .class: row.class.map { BatchSelection.classOrder($0, levels) } ?? "\u{FFFF}"
        case .login: row.login
        case .code: row.federated ? "2" : row.hasCode ? "0" : "1"
        case .email: Folding.key(row.emailMasked ?? "\u{FFFF}")
        case .created: row.created ?? "\u{FFFF}"
        }
    }
}
