import Foundation
import GRDB

/// Loads result rows by id, with their family links as logins.
enum AccountSummaries {
    static func load(ids: [Int64], _ db: Database) throws -> [Int64: AccountSummary] {
        guard !ids.isEmpty else { return [:] }
        // The ids as one JSON array: each statement is prepared once per connection, whatever the page's size
        // (preparing them anew cost more than running them).
        let list: StatementArguments = ["[" + ids.map(String.init).joined(separator: ",") + "]"]
        // Both sides of the page's family links in one statement, each relative with its sort key, sorted here: a
        // handful per account, where an `ORDER BY` a side set up SQLite's sorter twice a page. Rows are read in
        // place (a cursor), not copied.
        var children: [Int64: [Relative]] = [:]
        var parents: [Int64: [Relative]] = [:]
        let links = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT 0, l.parent_id, c.sort_key, c.login FROM json_each(?1) i JOIN family_link l ON l.parent_id = i.value
                    JOIN account c ON c.id = l.child_id
                    UNION ALL
                    SELECT 1, l.child_id, p.sort_key, p.login FROM json_each(?1) i JOIN family_link l ON l.child_id = i.value
                    JOIN account p ON p.id = l.parent_id
                    """), arguments: list)
        while let row = try links.next() {
            let relative = Relative(sortKey: row[2], login: row[3])
            if row[0] as Int == 0 {
                children[row[1], default: []].append(relative)
            } else {
                parents[row[1], default: []].append(relative)
            }
        }
        var byId: [Int64: AccountSummary] = [:]
        byId.reserveCapacity(ids.count)
        let accounts = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT a.id, a.login, a.first_name, a.last_name, a.profile, a.classes, a.activation_code, a.email, a.gone_since
                    FROM json_each(?) i JOIN account a ON a.id = i.value
                    """), arguments: list)
        while let row = try accounts.next() {
            let id: Int64 = row[0]
            byId[id] = AccountSummary(
                login: row[1], firstName: row[2], lastName: row[3], profile: Profile(rawValue: row[4]) ?? .guest,
                classes: decodeList(row[5]), activated: ((row[6] as String?) ?? "").isEmpty,
                hasEmail: !((row[7] as String?) ?? "").isEmpty, children: Relative.logins(children[id]),
                parents: Relative.logins(parents[id]), goneFromFeed: row[8])
        }
        return byId
    }

    /// A linked account as a summary lists it: its login, in register order of names (then of logins, so that two
    /// relatives with the same names always come in the same order).
    private struct Relative {
        let sortKey: String
        let login: String

        static func logins(_ relatives: [Relative]?) -> [String] {
            guard let relatives else { return [] }
            return relatives.sorted { ($0.sortKey, $0.login) < ($1.sortKey, $1.login) }.map(\.login)
        }
    }

    /// A JSON array of strings as stored by the importer.
    static func decodeList(_ json: String) -> [String] {
        plainList(json) ?? (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }

    /// The list read in place when it is written as the importer writes nearly every one, `["a","b"]`: no space, no
    /// escape, no control character (the strings then hold no quote); nil for anything else, which JSONDecoder reads.
    /// JSONDecoder took about 12k instructions a list: 0.25M of a page of 20 results, a sixth of a search for a name
    /// typed whole.
    static func plainList(_ json: String) -> [String]? {
        var json = json
        return json.withUTF8 { b -> [String]? in
            let (quote, comma) = (UInt8(ascii: "\""), UInt8(ascii: ","))
            guard b.count >= 2, b[0] == UInt8(ascii: "["), b[b.count - 1] == UInt8(ascii: "]") else { return nil }
            let end = b.count - 1
            var out: [String] = []
            var i = 1
            while i < end {
                guard b[i] == quote else { return nil }
                var j = i + 1
                while j < end && b[j] != quote {
                    if b[j] == UInt8(ascii: "\\") || b[j] < 0x20 { return nil }
                    j += 1
                }
                guard j < end else { return nil }
                out.append(String(decoding: UnsafeBufferPointer(rebasing: b[(i + 1)..<j]), as: UTF8.self))
                i = j + 1
                if i < end {
                    guard b[i] == comma, i + 1 < end else { return nil }
                    i += 1
                }
            }
            return out
        }
    }
}
