/// The ENT's profiles. Raw values are the ENT's own (its "Type" column) and the API's.
public enum Profile: String, CaseIterable, Sendable, Codable {
    case student = "Student"
    case relative = "Relative"
    case teacher = "Teacher"
    case personnel = "Personnel"
    case guest = "Guest"

    /// Reads the English type of the account export or the French profile of the publipostage list.
    public init?(entValue: String) {
        if let exact = Profile(rawValue: entValue) { self = exact; return }
        switch Folding.key(entValue) {
        case "student", "eleve": self = .student
        case "relative", "parent": self = .relative
        case "teacher", "enseignant": self = .teacher
        case "personnel", "personal": self = .personnel
        case "guest", "invite": self = .guest
        default: return nil
        }
    }

    /// The command line's lower-case names: student, relative, teacher, personnel, guest.
    public init?(option: String) {
        guard let match = Profile.allCases.first(where: { $0.rawValue.lowercased() == option.lowercased() }) else {
            return nil
        }
        self = match
    }
}
