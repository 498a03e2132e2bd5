import ArgumentParser
import Foundation
import Guichet
import GuichetServer

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration, the database and its journal, the printer, the data's age and the free disk.",
        discussion: "Read only. Exits 1 when something needs fixing, 0 otherwise (warnings included).")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let configuration: GuichetConfiguration
        do {
            configuration =
                try database.configPath.map { path throws(ConfigurationErrors) in try GuichetConfiguration.load(path: path) }
                ?? GuichetConfiguration()
        } catch {
            print("problem  configuration: " + error.problems.map(\.description).joined(separator: "\n                        "))
            throw ExitCode(1)
        }
        let doctor = Doctor(
            configuration: configuration, databasePath: database.databasePath(in: configuration),
            kioskRoot: findKioskRoot(configuration))
        let findings = doctor.run()
        for f in findings {
            print(f.level.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + f.subject + ": " + f.message)
        }
        let problems = findings.filter { $0.level == .problem }.count
        print(problems == 0 ? "Everything needed is in order." : "\(problems) problem(s) to fix.")
        if problems > 0 { throw ExitCode(1) }
    }
}
