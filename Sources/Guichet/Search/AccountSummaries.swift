import Foundation
import GRDB

/// Loads result rows by id, in the order given, with their family links as logins.
enum AccountSummaries {
    static func load(ids: [Int64], _ db: Database) throws -> [AccountSummary] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let arguments = StatementArguments(ids)
        var children: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT l.parent_id AS id, c.login FROM family_link l JOIN account c ON c.id = l.child_id
            WHERE l.parent_id IN (\(marks)) ORDER BY c.sort_key
            """, arguments: arguments) {
            children[row["id"], default: []].append(row["login"])
        }
        var parents: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT l.child_id AS id, p.login FROM family_link l JOIN account p ON p.id = l.parent_id
            WHERE l.child_id IN (\(marks)) ORDER BY p.sort_key
            """, arguments: arguments) {
            parents[row["id"], default: []].append(row["login"])
        }
        var byId: [Int64: AccountSummary] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT id, login, first_name, last_name, profile, classes, activation_code, email, gone_since
            FROM account WHERE id IN (\(marks))
            """, arguments: arguments) {
            let id: Int64 = row["id"]
            byId[id] = AccountSummary(
                login: row["login"], firstName: row["first_name"], lastName: row["last_name"],
                profile: Profile(rawValue: row["profile"]) ?? .guest, classes: decodeList(row["classes"]),
                activated: ((row["activation_code"] as String?) ?? "").isEmpty,
                hasEmail: !((row["email"] as String?) ?? "").isEmpty,
                children: children[id] ?? [], parents: parents[id] ?? [], goneFromFeed: row["gone_since"])
        }
        return ids.compactMap { byId[$0] }
    }

    /// A JSON array of strings as stored by the importer.
    static func decodeList(_ json: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }
}
