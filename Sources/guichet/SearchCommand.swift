import ArgumentParser
import Foundation
import Guichet

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Find students, parents and staff by name, login or class.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Words of a name, a login or a class, in any order; accents and case do not matter.")
    var query: String = ""
    @Option(help: "student, relative, teacher, personnel or guest.") var profile: String?
    @Option(name: .customLong("class"), help: "A class, e.g. \"2NDE 3\", or with its structure \"0750654D:2NDE 3\".")
    var className: String?
    @Option(help: "yes or no.") var activated: String?
    @Option(name: .customLong("has-email"), help: "yes or no.") var hasEmail: String?
    @Option(help: "Gone from the ENT's feed: yes or no.") var gone: String?
    @Option(help: "How many results at most.") var limit: Int = 20
    @Flag(help: "Print the results as a JSON array.") var json = false

    func run() throws {
        var q = SearchQuery(
            text: query, className: className, activated: try yesNo(activated, "--activated"),
            hasEmail: try yesNo(hasEmail, "--has-email"), gone: try yesNo(gone, "--gone"), limit: limit)
        if let profile {
            guard let p = Profile(option: profile) else {
                throw ValidationError("--profile must be student, relative, teacher, personnel or guest (not \"\(profile)\")")
            }
            q.profile = p
        }
        q.federation = database.configuration().ent.federated
        q.schools = database.configuration().school.structures
        let database = try database.open()
        let result = try database.writer.read { db in try Search.labelled(q, in: db) }
        if json { return try printJSON(result.results) }
        if result.results.isEmpty { return print("No account matches \"\(query)\".") }
        for (k, a) in result.results.enumerated() {
            if k == result.widenedFrom { print("Near spellings and sound-alikes:") }
            let state = a.activated ? "activated" : "not activated"
            let gone = a.goneFromFeed.map { ", gone from the feed since \($0)" } ?? ""
            let classes = a.classes.isEmpty ? "" : " [" + a.classes.joined(separator: ", ") + "]"
            print("\(a.lastName.uppercased()) \(a.firstName)  \(a.login)  \(a.profile.rawValue)\(classes)  \(state)\(gone)")
        }
        let more = result.totalIsExact ? "\(result.total)" : "more than \(result.total)"
        if result.total > result.results.count { print("(\(result.results.count) shown of \(more) matches)") }
    }

    private func yesNo(_ value: String?, _ option: String) throws -> Bool? {
        switch value?.lowercased() {
        case nil: nil
        case "yes", "oui", "true", "1": true
        case "no", "non", "false", "0": false
        default: throw ValidationError("\(option) must be yes or no (not \"\(value!)\")")
        }
    }
}
