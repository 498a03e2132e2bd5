import Foundation
import GRDB

/// Reads the accounts that sheets print, with their linked children and parents.
enum SheetPeople {
    /// The account `login` with its family, or nil.
    static func load(login: String, _ db: Database) throws -> (id: Int64, person: Sheet.Person)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE login = ?", arguments: [login]) else { return nil }
        let id: Int64 = row["id"]
        var person = person(row)
        person.children = try relatives(
            db,
            sql: "SELECT a.* FROM family_link l JOIN account a ON a.id = l.child_id WHERE l.parent_id = ? ORDER BY a.sort_key", id
        )
        person.parents = try relatives(
            db,
            sql: "SELECT a.* FROM family_link l JOIN account a ON a.id = l.parent_id WHERE l.child_id = ? ORDER BY a.sort_key", id
        )
        return (id, person)
    }

    /// The accounts the SQL selects (`a` is the account table; the query must select `a.*`), with every parent's
    /// children read in one query (a batch of a whole school is thousands of parents).
    static func load(sql: String, arguments: StatementArguments, _ db: Database) throws -> [(id: Int64, person: Sheet.Person)] {
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        var children: [Int64: [Sheet.Child]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT l.parent_id AS parent, c.* FROM family_link l JOIN account c ON c.id = l.child_id
                WHERE l.parent_id IN (SELECT a.id FROM (\(sql)) a) ORDER BY c.sort_key
                """, arguments: arguments)
        {
            children[row["parent"], default: []].append(child(row))
        }
        return rows.map { row in
            let id: Int64 = row["id"]
            var p = person(row)
            p.children = children[id] ?? []
            return (id, p)
        }
    }

    static func person(_ row: Row) -> Sheet.Person {
        var person = Sheet.Person(
            login: row["login"], firstName: row["first_name"], lastName: row["last_name"],
            profile: Profile(rawValue: row["profile"]) ?? .guest, classes: AccountSummaries.decodeList(row["classes"]),
            activationCode: row["activation_code"], email: row["email"], createdOn: row["created_on"])
        person.goneSince = row["gone_since"]
        person.structures = AccountSummaries.decodeList(row["structures"])
        person.functions = AccountSummaries.decodeList(row["functions"])
        person.firstSeen = row["first_seen"]
        return person
    }

    private static func child(_ row: Row) -> Sheet.Child {
        Sheet.Child(
            login: row["login"], firstName: row["first_name"], lastName: row["last_name"],
            classes: AccountSummaries.decodeList(row["classes"]))
    }

    private static func relatives(_ db: Database, sql: String, _ id: Int64) throws -> [Sheet.Child] {
        try Row.fetchAll(db, sql: sql, arguments: [id]).map(child)
    }

    /// The export date of the last import: the "date of the data" every sheet prints.
    static func dataDate(_ db: Database) throws -> Date? {
        try String.fetchOne(db, sql: "SELECT data_date FROM import_run ORDER BY id DESC LIMIT 1").flatMap(Timestamp.parse)
    }
}
