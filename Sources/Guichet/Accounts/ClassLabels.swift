import GRDB

/// In a cité scolaire two structures may each have a "2NDE 3". When the desk's query names a class (among its words,
/// "zoé 2nde 3", or in its class filter), a result's class of that name, if more than one structure has it, reads
/// with its school's short name as the batch screen's chips say it (`Sheets.shortNames`): "2NDE 3 · Lycée". Only
/// then: elsewhere a class is named as the export writes it.
public enum ClassLabels {
    /// The result with its named classes labelled. Reads the class index for the named classes and the page's
    /// accounts' structures, only when a named class is on the page.
    public static func apply(to result: SearchResult, query: SearchQuery, _ db: Database) throws -> SearchResult {
        let named = namedKeys(query)
        var keys = Set<String>()
        for summary in result.results {
            for name in summary.classes where named.contains(Folding.key(name)) { keys.insert(Folding.key(name)) }
        }
        guard !keys.isEmpty else { return result }
        // Class key → the export's names of the structures that have it, for the classes two structures have.
        let shared = try BatchClasses.known(keys.sorted(), db).mapValues { Array(Set($0)).sorted() }
            .filter { BatchClasses.inSeveralStructures($0.value) }
        guard !shared.isEmpty else { return result }
        let logins = result.results.filter { $0.classes.contains { shared[Folding.key($0)] != nil } }.map(\.login)
        let structuresOf = try structures(of: logins, db)
        // Once a class, not once a result: at 1M accounts a class name has a hundred structures.
        let shortNames = shared.mapValues { Sheets.shortNames($0, configured: query.schools) }
        var labelled = result
        labelled.results = result.results.map { s in
            guard let structures = structuresOf[s.login] else { return s }
            let classes = s.classes.map { name -> String in
                let key = Folding.key(name)
                guard named.contains(key), let places = shared[key] else { return name }
                // The account's own structure among those with the class; a teacher or a parent of both says
                // nothing of which one, and keeps the bare name.
                let own = places.filter(structures.contains)
                guard own.count == 1 else { return name }
                return "\(name) · \(shortNames[key]?[own[0]] ?? own[0])"
            }
            return AccountSummary(
                login: s.login, firstName: s.firstName, lastName: s.lastName, profile: s.profile, classes: classes,
                activated: s.activated, hasEmail: s.hasEmail, children: s.children, parents: s.parents,
                goneFromFeed: s.goneFromFeed)
        }
        return labelled
    }

    /// The class keys the query names: its filter's class, and every run of up to four of its words ("2nde 3",
    /// "t stmg 1") run together as `Folding.key` folds a class name.
    static func namedKeys(_ query: SearchQuery) -> Set<String> {
        var keys = Set<String>()
        if let className = query.className { keys.insert(Folding.key(BatchClass(commandLine: className).name)) }
        let words = Folding.words(query.text)
        for start in words.indices {
            for end in start..<min(words.count, start + 4) { keys.insert(words[start...end].joined()) }
        }
        return keys
    }

    private static func structures(of logins: [String], _ db: Database) throws -> [String: [String]] {
        guard !logins.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: logins.count).joined(separator: ",")
        var found: [String: [String]] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT login, structures FROM account WHERE login IN (\(marks))", arguments: StatementArguments(logins))
        {
            found[row["login"]] = AccountSummaries.decodeList(row["structures"])
        }
        return found
    }
}

extension Search {
    /// The search as the desk shows it: `run`, then the classes its words name labelled with their schools where two
    /// have one. What the service, the command line and the benches run.
    public static func labelled(_ query: SearchQuery, in db: Database) throws -> SearchResult {
        try ClassLabels.apply(to: try run(query, in: db), query: query, db)
    }
}
