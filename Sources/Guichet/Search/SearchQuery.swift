/// What the desk asks for: free text plus the ENT console's filters.
public struct SearchQuery: Sendable, Equatable {
    public var text: String
    public var profile: Profile?
    public var className: String?
    public var activated: Bool?
    public var hasEmail: Bool?
    public var gone: Bool?
    public var limit: Int

    public init(text: String, profile: Profile? = nil, className: String? = nil, activated: Bool? = nil,
                hasEmail: Bool? = nil, gone: Bool? = nil, limit: Int = 20) {
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
    /// True when nothing matched as typed and these are near spellings.
    public var nearSpelling: Bool
}
