import ArgumentParser
import Foundation
import Guichet

struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Manage the desk's staff accounts (every change is journalled).",
        subcommands: [Add.self, List.self, Disable.self, Passwd.self, Role.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a member; the password is read from the terminal, or from standard input when it is not one.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The sign-in name.") var name: String
        @Option(help: "agent or reviewer.") var role: String = "agent"

        func run() throws {
            guard let role = StaffRole(rawValue: role) else { throw ValidationError("--role must be agent or reviewer") }
            let password = try readNewPassword(for: name)
            do {
                try Staff.add(try database.open(), name: name, role: role, password: password, by: operatorName())
            } catch let error as StaffError { fail(error.description) }
            print("Added \(name) (\(role.rawValue)).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the staff accounts.")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let members = try Staff.list(try database.open())
            if json { return try printJSON(members) }
            for m in members {
                print("\(m.name)\t\(m.role.rawValue)\t\(m.disabled ? "disabled" : "active")\tsince \(m.createdAt)")
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a member (kept for the journal, cannot sign in).")
        @OptionGroup var database: DatabaseOptions
        @Argument var name: String

        func run() throws {
            do { try Staff.disable(try database.open(), name: name, by: operatorName()) } catch let error as StaffError {
                fail(error.description)
            }
            print("Disabled \(name).")
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a member's password.")
        @OptionGroup var database: DatabaseOptions
        @Argument var name: String

        func run() throws {
            let password = try readNewPassword(for: name)
            do { try Staff.setPassword(try database.open(), name: name, password: password, by: operatorName()) } catch let error
                as StaffError
            { fail(error.description) }
            print("Password changed for \(name).")
        }
    }
}

extension StaffCommand {
    struct Role: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a member's role (their open sessions end).")
        @OptionGroup var database: DatabaseOptions
        @Argument var name: String
        @Argument(help: "agent or reviewer.") var role: String

        func run() throws {
            guard let role = StaffRole(rawValue: role) else { throw ValidationError("the role must be agent or reviewer") }
            do { try Staff.setRole(try database.open(), name: name, role: role, by: operatorName()) } catch let error
                as StaffError
            { fail(error.description) }
            print("\(name) is now \(role.rawValue).")
        }
    }
}

/// Who runs the command, for the journal: the Unix user.
func operatorName() -> String {
    ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
}

/// A password never comes from argv (it would show in `ps` and shell history): the terminal, twice, without echo;
/// or the first line of standard input when it is not a terminal (scripts, tests).
func readNewPassword(for name: String) throws -> String {
    if isatty(STDIN_FILENO) == 1 {
        guard let first = getpass("Mot de passe pour \(name) : ").map({ String(cString: $0) }),
            let second = getpass("Encore une fois : ").map({ String(cString: $0) })
        else { fail("no password read") }
        guard first == second else { fail("the two passwords differ") }
        return first
    }
    guard let line = readLine(strippingNewline: true), !line.isEmpty else { fail("no password on standard input") }
    return line
}
