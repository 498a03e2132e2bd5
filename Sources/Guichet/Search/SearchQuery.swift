/// What the desk asks for: free text plus the ENT console's filters.
public struct SearchQuery: Sendable, Equatable {
    public var text: String
    public var profile: Profile?
    public var className: String?
    public var activated: Bool?
    public var hasEmail: Bool?
    public var gone: Bool?
    public var limit: Int
    /// Which profiles sign in through a federation (the configuration's, not a filter): their accounts are neither
    /// activated nor not, as in a batch.
    public var federation = Federation()
    /// The structure the class filter is in (`class` may also say it, as "STRUCTURE:CLASS"): the export's name, a
    /// UAI or a `[[school]]` name, as a batch's (`AccountConditions.classFilter`).
    public var structure: String?
    /// The configuration's `[[school]]` entries (not a filter): what a structure may be named by, and the short names
    /// that tell two structures' classes of one name apart in the results (`ClassLabels`).
    public var schools: [SchoolStructure] = []

    public init(
        text: String, profile: Profile? = nil, className: String? = nil, activated: Bool? = nil,
        hasEmail: Bool? = nil, gone: Bool? = nil, limit: Int = 20
    ) {
        self.text = text
        self.profile = profile
        self.className = className
        self.activated = activated
        self.hasEmail = hasEmail
        self.gone = gone
        self.limit = max(1, min(limit, 500))
    }
}

/// One person in a result list: the fields of `guichet search --json` and `GET /api/v1/accounts`.
public struct AccountSummary: Codable, Sendable, Equatable {
    public let login: String
    public let firstName: String
    public let lastName: String
    public let profile: Profile
    public let classes: [String]
    public let activated: Bool
    public let hasEmail: Bool
    /// Logins of the linked children and parents.
    public var children: [String]
    public var parents: [String]
    /// The day the account left the ENT's feed, or nil while it is in it.
    public let goneFromFeed: String?

    enum CodingKeys: String, CodingKey {
        case login, firstName, lastName, profile, classes, activated, hasEmail, children, parents, goneFromFeed
    }

    /// Writes `goneFromFeed` as null rather than leaving it out: clients read every field of every row.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(login, forKey: .login)
        try c.encode(firstName, forKey: .firstName)
        try c.encode(lastName, forKey: .lastName)
        try c.encode(profile, forKey: .profile)
        try c.encode(classes, forKey: .classes)
        try c.encode(activated, forKey: .activated)
        try c.encode(hasEmail, forKey: .hasEmail)
        try c.encode(children, forKey: .children)
        try c.encode(parents, forKey: .parents)
        try c.encode(goneFromFeed, forKey: .goneFromFeed)
    }
}

/// A page of results, best first.
public struct SearchResult: Codable, Sendable, Equatable {
    public var results: [AccountSummary]
    /// How many accounts match; a lower bound when `totalIsExact` is false (a very common prefix).
    public var total: Int
    public var totalIsExact: Bool
    /// True when the page holds near spellings or sound-alikes (tiers after the prefixes).
    public var nearSpelling: Bool
    /// Where those widened results start on the page ("Orthographe approchée" above them), or nil.
    public var widenedFrom: Int?

    public init(results: [AccountSummary], total: Int, totalIsExact: Bool, nearSpelling: Bool, widenedFrom: Int? = nil) {
        (self.results, self.total, self.totalIsExact) = (results, total, totalIsExact)
        (self.nearSpelling, self.widenedFrom) = (nearSpelling, widenedFrom)
    }

    enum CodingKeys: String, CodingKey { case results, total, totalIsExact, nearSpelling, widenedFrom }

    /// Writes `widenedFrom` as null rather than leaving it out: clients read every field.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(results, forKey: .results)
        try c.encode(total, forKey: .total)
        try c.encode(totalIsExact, forKey: .totalIsExact)
        try c.encode(nearSpelling, forKey: .nearSpelling)
        try c.encode(widenedFrom, forKey: .widenedFrom)
    }
}

/// How closely an account matches a query, best first (see `Search`). The raw values are the order of the page.
public enum MatchTier: Int, Comparable, Sendable {
    /// The login or alias as typed, or the full name: its words in any order, spaces and hyphens optional.
    case exact = 0
    /// Every word of the query is a whole word of the account.
    case wholeWords
    /// Every word starts a word of the account.
    case prefixes
    /// Some word is a name typed with one or two letters wrong, missing, extra or swapped.
    case nearSpelling
    /// Some word only sounds like a name (same Phonex code).
    case soundAlike

    public static func < (a: MatchTier, b: MatchTier) -> Bool { a.rawValue < b.rawValue }
}
