import Foundation
import GRDB

/// One account as the desk's card shows it: its people linked by name, the e-mail and phone masked, the activation
/// code only when asked for (and journalled as a reveal).
public struct AccountDetail: Codable, Sendable, Equatable {
    public struct Relative: Codable, Sendable, Equatable {
        public let login: String
        public let firstName: String
        public let lastName: String
        public let classes: [String]
        public let activated: Bool
        /// So that the card says "connexion fédérée", not "non activé", of a parent who signs in with EduConnect.
        public var profile: Profile = .guest
    }

    public let login: String
    public let alias: String?
    public let firstName: String
    public let lastName: String
    public let profile: Profile
    public let classes: [String]
    public let structures: [String]
    public let functions: [String]
    public let activated: Bool
    public let hasEmail: Bool
    public let emailMasked: String?
    public let phoneMasked: String?
    public let lastConnection: String?
    public let goneFromFeed: String?
    public let hasActivationCode: Bool
    public var activationCode: String?
    public let parents: [Relative]
    public let children: [Relative]
    /// The services a federated account signs in with ("EduConnect", "FranceConnect", "academy"); nil when it
    /// signs in with the ENT's own login. Such an account has no code to reveal and no renewal.
    public var federatedWith: [String]? = nil

    enum CodingKeys: String, CodingKey {
        case login, alias, firstName, lastName, profile, classes, structures, functions, activated, hasEmail,
            emailMasked, phoneMasked, lastConnection, goneFromFeed, hasActivationCode, activationCode, parents, children,
            federatedWith
    }

    /// Absent values are written as null (clients read every field), except the code: it appears only on reveal.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(login, forKey: .login)
        try c.encode(alias, forKey: .alias)
        try c.encode(firstName, forKey: .firstName)
        try c.encode(lastName, forKey: .lastName)
        try c.encode(profile, forKey: .profile)
        try c.encode(classes, forKey: .classes)
        try c.encode(structures, forKey: .structures)
        try c.encode(functions, forKey: .functions)
        try c.encode(activated, forKey: .activated)
        try c.encode(hasEmail, forKey: .hasEmail)
        try c.encode(emailMasked, forKey: .emailMasked)
        try c.encode(phoneMasked, forKey: .phoneMasked)
        try c.encode(lastConnection, forKey: .lastConnection)
        try c.encode(goneFromFeed, forKey: .goneFromFeed)
        try c.encode(hasActivationCode, forKey: .hasActivationCode)
        try c.encodeIfPresent(activationCode, forKey: .activationCode)
        try c.encode(parents, forKey: .parents)
        try c.encode(children, forKey: .children)
        try c.encode(federatedWith, forKey: .federatedWith)
    }
}

public enum Accounts {
    /// Why the desk may not hand an account anything (a sheet, an e-mail, a renewal code), checked before acting.
    public enum Refusal: DeskError, Equatable {
        /// Gone from the ENT's export since this date.
        case gone(login: String, since: String)
        /// Signs in through these services: no login, no code, no renewal.
        case federated(login: String, [FederationService])

        public var code: String {
            switch self {
            case .gone: "account-gone"
            case .federated: "account-federated"
            }
        }
        public var kind: DeskErrorKind { .conflict }
        public var detail: String {
            switch self {
            case .gone(let login, let since): "\(login) since \(since.prefix(10))"
            case .federated(let login, let services): "\(login) signs in with \(services.map(\.rawValue).joined(separator: ", "))"
            }
        }
    }

    /// The account's profile and the date it left the export (nil while in it), or nil when no account has `login`.
    public static func standing(_ database: GuichetDatabase, login: String) throws -> (profile: Profile, goneSince: String?)? {
        try database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT profile, gone_since FROM account WHERE login = ?", arguments: [login]).map {
                (Profile(rawValue: $0["profile"]) ?? .guest, $0["gone_since"])
            }
        }
    }

    /// Throws `Refusal.gone` when `login` has left the export: an action that hands something over calls it in the
    /// transaction that acts, so that an import marking it gone meanwhile cannot slip between check and act.
    public static func refuseGone(_ db: Database, login: String) throws {
        let since = try String.fetchOne(db, sql: "SELECT gone_since FROM account WHERE login = ?", arguments: [login])
        if let since { throw Refusal.gone(login: login, since: since) }
    }

    /// Throws the refusal that applies to `login` for an action that hands over credentials: gone first, then
    /// federated when `federatedToo` (a renewal; an e-mail explains the federation instead). Nothing for an unknown
    /// login: the action itself answers "not found".
    public static func checkHandover(
        _ database: GuichetDatabase, login: String, federation: Federation,
        federatedToo: Bool
    ) throws {
        guard let (profile, goneSince) = try standing(database, login: login) else { return }
        if let goneSince { throw Refusal.gone(login: login, since: goneSince) }
        if federatedToo, let services = federation.services(for: profile) { throw Refusal.federated(login: login, services) }
    }

    /// The card of `login`, journalled as viewed (or as a code revealed), or nil when no such account exists.
    /// Read in parallel with other requests; the journal row joins a group commit, and the card (or its code) is
    /// returned only once that row is durable. Revealing the code of an account gone from the export hands over a
    /// credential like a sheet does: refused (`Refusal.gone`) unless `allowGone` (a reviewer who confirmed), and
    /// then journalled with `goneConfirmed`. Viewing the card of a gone account stays allowed.
    public static func detail(
        _ database: GuichetDatabase, login: String, revealCode: Bool, staff: String,
        channel: Channel, federation: Federation = Federation(), allowGone: Bool = false
    ) throws -> AccountDetail? {
        let found: AccountDetail? = try database.writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE login = ?", arguments: [login]) else {
                return nil
            }
            let id: Int64 = row["id"]
            let code: String? = row["activation_code"]
            let services = federation.services(for: Profile(rawValue: row["profile"]) ?? .guest)
            // A federated account's code (the ENT makes one for every account) is never handed over.
            let hasCode = services == nil && !(code ?? "").isEmpty
            var detail = AccountDetail(
                login: row["login"], alias: row["alias"], firstName: row["first_name"], lastName: row["last_name"],
                profile: Profile(rawValue: row["profile"]) ?? .guest,
                classes: AccountSummaries.decodeList(row["classes"]),
                structures: AccountSummaries.decodeList(row["structures"]),
                functions: AccountSummaries.decodeList(row["functions"]),
                activated: !hasCode, hasEmail: !((row["email"] as String?) ?? "").isEmpty,
                emailMasked: (row["email"] as String?).flatMap(Masking.email),
                phoneMasked: (row["phone"] as String?).flatMap(Masking.phone),
                lastConnection: row["last_connection"], goneFromFeed: row["gone_since"], hasActivationCode: hasCode,
                activationCode: nil,
                parents: try relatives(
                    db,
                    sql:
                        "SELECT a.* FROM family_link l JOIN account a ON a.id = l.parent_id WHERE l.child_id = ? ORDER BY a.sort_key",
                    id),
                children: try relatives(
                    db,
                    sql:
                        "SELECT a.* FROM family_link l JOIN account a ON a.id = l.child_id WHERE l.parent_id = ? ORDER BY a.sort_key",
                    id))
            if revealCode && hasCode {
                if let since = detail.goneFromFeed, !allowGone { throw Refusal.gone(login: detail.login, since: since) }
                detail.activationCode = code
            }
            detail.federatedWith = services?.map(\.rawValue)
            return detail
        }
        guard let detail = found else { return nil }
        if detail.activationCode != nil && detail.goneFromFeed != nil {
            try database.journal.append(
                JournalEntry(
                    staff: staff, channel: channel, action: .codeRevealed, target: detail.login,
                    details: ["goneConfirmed": true]))
        } else {
            let action: JournalAction = detail.activationCode == nil ? .accountViewed : .codeRevealed
            try database.journal.append(JournalEntry(staff: staff, channel: channel, action: action, target: detail.login))
        }
        return detail
    }

    private static func relatives(_ db: Database, sql: String, _ id: Int64) throws -> [AccountDetail.Relative] {
        try Row.fetchAll(db, sql: sql, arguments: [id]).map {
            AccountDetail.Relative(
                login: $0["login"], firstName: $0["first_name"], lastName: $0["last_name"],
                classes: AccountSummaries.decodeList($0["classes"]),
                activated: (($0["activation_code"] as String?) ?? "").isEmpty, profile: Profile(rawValue: $0["profile"]) ?? .guest
            )
        }
    }
}

/// What the desk may see of contact details: enough to recognise them with the person, not to copy them.
public enum Masking {
    /// "sophie.gerard@orange.fr" → "s••••••••••@orange.fr".
    public static func email(_ address: String) -> String? {
        guard !address.isEmpty else { return nil }
        guard let at = address.lastIndex(of: "@") else { return String(address.prefix(1)) + "••••" }
        let local = address[..<at]
        return String(local.prefix(1)) + String(repeating: "•", count: max(3, local.count - 1)) + address[at...]
    }

    /// "06 71 42 18 93" → "06 •• •• •• 93".
    public static func phone(_ number: String) -> String? {
        let digits = number.filter(\.isNumber)
        guard digits.count >= 4 else { return digits.isEmpty ? nil : "••" }
        let middle = Array(repeating: "••", count: max(1, (digits.count - 4) / 2)).joined(separator: " ")
        return String(digits.prefix(2)) + " " + middle + " " + String(digits.suffix(2))
    }
}

extension Search {
    /// A search from the desk, journalled with its query, filters and count: the count journalled is the count
    /// shown (both come from the search's one read transaction), a search that fails journals nothing, and the
    /// answer is returned only once its row is durable.
    public static func journalled(
        _ query: SearchQuery, in database: GuichetDatabase, staff: String,
        channel: Channel
    ) throws -> SearchResult {
        // The search reads in parallel with the other threads; only its journal row goes to the single writer, in a
        // group commit with the rows of concurrent requests. (Searching inside the write transaction serialised
        // every search behind the writer: measured at about 500 searches/s whatever the number of connections.)
        // The row records what is shown, and nothing is shown unless it is durable.
        let result = try database.writer.read { db in try labelled(query, in: db) }
        // The details in their keys' sorted order, as `JSONEncoder`'s `.sortedKeys` writes them (`JournalEntry`).
        var details: [(String, String)] = []
        if let a = query.activated { details.append(("activated", a ? "yes" : "no")) }
        if let c = query.className { details.append(("class", c)) }
        details.append(("count", String(result.total)))
        if let g = query.gone { details.append(("gone", g ? "yes" : "no")) }
        if let e = query.hasEmail { details.append(("hasEmail", e ? "yes" : "no")) }
        if let p = query.profile { details.append(("profile", p.rawValue)) }
        details.append(("query", String(query.text.prefix(200))))
        if let s = query.structure { details.append(("structure", s)) }
        try database.journal.append(JournalEntry(staff: staff, channel: channel, action: .search, sortedTexts: details))
        return result
    }
}
