import GRDB
import SQLiteBulk

/// An `account` row as the importer reads and writes it. List columns stay JSON text: they are compared, not read.
struct StoredAccount: Sendable {
    var id: Int64?
    var entId: String?
    var siecleId: String?
    var profile: String = Profile.guest.rawValue
    var lastName = ""
    var firstName = ""
    var login = ""
    var alias: String?
    var activationCode: String?
    var functions = "[]"
    var structures = "[]"
    var classes = "[]"
    var childrenNames = "[]"
    var parentsNames = "[]"
    var email: String?
    var phone: String?
    var lastConnection: String?
    var createdOn: String?
    var firstSeen = ""
    var lastSeen = ""
    var goneSince: String?
    var activatedSince: String?
    var sortKey = ""
    var searchText = ""
    /// `[[last name words], [first name words]]`, folded: the pairs of `name_pair` are made from it.
    var nameWords = "[[],[]]"
    /// `ImportedAccount.fingerprint` of the row this account was last merged with.
    var fingerprint: Int64?

    static var columnList: [String] { columns.components(separatedBy: ", ") }
    static let columns =
        "ent_id, siecle_id, profile, last_name, first_name, login, alias, activation_code, functions, structures, classes, children_names, parents_names, email, phone, last_connection, created_on, first_seen, last_seen, gone_since, activated_since, sort_key, search_text, name_words, import_fingerprint"

    /// The columns `AccountIndexes` reads. An `UPDATE` that sets one of them rewrites that index's entry even when the
    /// value stays the same (measured with SQLite 3.40 on the bench's 1M database: 125,000 rows updated in 5.3-5.5 s
    /// with the four in the `SET`, unchanged, against 2.2 s without), so a rewritten account that keeps their stored
    /// values is updated without them (`assignmentsKeepingIndexedColumns`, `sameIndexedColumns`).
    static let indexedColumns: Set<String> = ["ent_id", "login", "alias", "sort_key"]

    /// Whether this account holds `old`'s values in every column of `indexedColumns`.
    func sameIndexedColumns(as old: StoredAccount) -> Bool {
        entId == old.entId && login == old.login && alias == old.alias && sortKey == old.sortKey
    }

    /// "column = ?N" for every column of `columns` but `indexedColumns`, N the column's parameter in `bind(to:)`; the
    /// id is parameter `columnList.count + 1`. The parameters of the columns left out are bound and never read.
    static var assignmentsKeepingIndexedColumns: String {
        columnList.enumerated().filter { !indexedColumns.contains($0.element) }
            .map { "\($0.element) = ?\($0.offset + 1)" }.joined(separator: ", ")
    }

    init() {}

    /// A row of `SELECT id, <columns> FROM account` (`selectColumns`): the id, then `columnList` in order.
    init(_ row: BulkRow) {
        id = row.int64(0); entId = row.text(1); siecleId = row.text(2); profile = row.text(3) ?? ""
        lastName = row.text(4) ?? ""; firstName = row.text(5) ?? ""; login = row.text(6) ?? ""; alias = row.text(7)
        activationCode = row.text(8); functions = row.text(9) ?? "[]"; structures = row.text(10) ?? "[]"
        classes = row.text(11) ?? "[]"; childrenNames = row.text(12) ?? "[]"; parentsNames = row.text(13) ?? "[]"
        email = row.text(14); phone = row.text(15); lastConnection = row.text(16); createdOn = row.text(17)
        firstSeen = row.text(18) ?? ""; lastSeen = row.text(19) ?? ""; goneSince = row.text(20)
        activatedSince = row.text(21); sortKey = row.text(22) ?? ""; searchText = row.text(23) ?? ""
        nameWords = row.text(24) ?? "[[],[]]"; fingerprint = row.isNull(25) ? nil : row.int64(25)
    }

    /// What `init(_: BulkRow)` reads, in its order.
    static var selectColumns: String { "id, " + columns }

    /// Binds every column of `columns`, in order from parameter 1, then the id.
    func bind(to statement: some BulkBinding) throws {
        // One call per column, not a loop over an array of them: this runs for every row of a million-row import.
        try statement.bind(1, entId); try statement.bind(2, siecleId); try statement.bind(3, profile)
        try statement.bind(4, lastName); try statement.bind(5, firstName); try statement.bind(6, login)
        try statement.bind(7, alias); try statement.bind(8, activationCode); try statement.bind(9, functions)
        try statement.bind(10, structures); try statement.bind(11, classes); try statement.bind(12, childrenNames)
        try statement.bind(13, parentsNames); try statement.bind(14, email); try statement.bind(15, phone)
        try statement.bind(16, lastConnection); try statement.bind(17, createdOn); try statement.bind(18, firstSeen)
        try statement.bind(19, lastSeen); try statement.bind(20, goneSince); try statement.bind(21, activatedSince)
        try statement.bind(22, sortKey); try statement.bind(23, searchText); try statement.bind(24, nameWords)
        if let fingerprint { try statement.bind(25, fingerprint) } else { try statement.bind(25, nil as String?) }
        try statement.bind(26, id!)
    }

    var isActivated: Bool { (activationCode ?? "").isEmpty }

    /// This account as the export describes it now. A column the export does not have keeps its stored value.
    func merged(with a: ImportedAccount) -> StoredAccount {
        var s = self
        if let v = a.entId { s.entId = v }
        if let v = a.siecleId { s.siecleId = v.isEmpty ? nil : v }
        s.profile = a.profile.rawValue
        s.lastName = a.lastName
        s.firstName = a.firstName
        s.login = a.login
        if let v = a.alias { s.alias = v }
        if let v = a.activationCode { s.activationCode = v.isEmpty ? nil : v }
        if let v = a.functions { s.functions = JSONText.array(v) }
        if let v = a.structures { s.structures = JSONText.array(v) }
        if let v = a.classes { s.classes = JSONText.array(v) }
        if let v = a.children { s.childrenNames = JSONText.array(v) }
        if let v = a.parents { s.parentsNames = JSONText.array(v) }
        if let v = a.email { s.email = v }
        if let v = a.phone { s.phone = v }
        if let v = a.lastConnection { s.lastConnection = v }
        if let v = a.createdOn { s.createdOn = v }
        let keys = SearchIndex.keys(lastName: s.lastName, firstName: s.firstName, login: s.login, alias: s.alias)
        s.sortKey = keys.sortKey
        s.searchText = SearchIndex.searchText(keys.terms)
        s.nameWords = "[" + JSONText.array(keys.lastWords) + "," + JSONText.array(keys.firstWords) + "]"
        return s
    }

    /// Whether what the ENT says of the account differs (bookkeeping dates aside).
    func sameContent(as o: StoredAccount) -> Bool {
        entId == o.entId && siecleId == o.siecleId && profile == o.profile && lastName == o.lastName
            && firstName == o.firstName && login == o.login && alias == o.alias && activationCode == o.activationCode
            && functions == o.functions && structures == o.structures && classes == o.classes
            && childrenNames == o.childrenNames && parentsNames == o.parentsNames && email == o.email
            && phone == o.phone && lastConnection == o.lastConnection && createdOn == o.createdOn
    }

    /// Whether the search index rows differ.
    func sameIndex(as o: StoredAccount) -> Bool {
        sortKey == o.sortKey && searchText == o.searchText && classes == o.classes && nameWords == o.nameWords
    }
}
