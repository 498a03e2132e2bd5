import ArgumentParser
import Foundation
import Guichet
import GuichetServer
import Logging

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the kiosk page and its API on libmicrohttpd until SIGTERM or SIGINT.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (an IP literal).") var bind = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port: UInt16 = 8080
    @Option(help: "libmicrohttpd worker threads.") var threads = 4
    @Option(help: "The kiosk page's folder (default: Kiosk/web beside the working directory or the executable).") var kiosk: String?
    @Option(name: .customLong("school-name"), help: "The school's name, shown in the kiosk header.") var schoolName = "Lycée Jean-Jaurès"
    @Option(name: .customLong("ent-url"), help: "The ENT's address, printed on sheets.") var entURL = "https://ent.example.org"
    @Option(help: "The CUPS queue sheets are sent to (with lp); without it, the kiosk opens the PDF to print.") var printer: String?
    @Option(name: .customLong("federated"), help: "A profile that signs in through a federation, e.g. relative=EduConnect (repeatable): its sheets carry no code.")
    var federated: [String] = []
    @Option(name: .customLong("sheet-language"), help: "fr or en: the wording of the sheets.") var sheetLanguage = "fr"
    @Option(name: .customLong("idle-lock-seconds"), help: "The kiosk locks after this many idle seconds (env GUICHET_IDLE_LOCK_SECONDS).")
    var idleLockSeconds: Int?
    @Option(name: .customLong("session-idle-minutes"), help: "A session ends after this many minutes without a request.")
    var sessionIdleMinutes = 15
    @OptionGroup var renewal: RenewalOptions
    @OptionGroup var zone: TimeZoneOption
    @Option(name: .customLong("opening-hours"), help: "The desk's opening hours, for the journal review: actions outside them are flagged.")
    var openingHours = "07:30-18:30"
    @Option(name: .customLong("burst-sheets"), help: "The journal review flags more than this many sheets by one agent…")
    var burstSheets = 10
    @Option(name: .customLong("burst-minutes"), help: "… within this many minutes.")
    var burstMinutes = 10

    func run() throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "guichet")
        var settings = ServerSettings(kioskRoot: try kioskRoot())
        settings.bindAddress = bind
        settings.port = port
        settings.threads = threads
        settings.schoolName = schoolName
        settings.entURL = entURL
        settings.printer = printer.flatMap { $0.isEmpty ? nil : $0 }
        settings.federatedProfiles = try federations(federated)
        guard let language = SheetLanguage(rawValue: sheetLanguage) else { throw ValidationError("--sheet-language must be fr or en") }
        settings.sheetLanguage = language
        settings.idleLockSeconds = idleLockSeconds
            ?? ProcessInfo.processInfo.environment["GUICHET_IDLE_LOCK_SECONDS"].flatMap(Int.init) ?? 180
        settings.sessionIdleSeconds = sessionIdleMinutes * 60
        settings.renewal = try renewal.settings()
        guard settings.idleLockSeconds >= 5 else { throw ValidationError("--idle-lock-seconds must be 5 or more") }
        guard let hours = ReviewRules.openingHours(openingHours) else { throw ValidationError("--opening-hours must look like 07:30-18:30") }
        guard burstSheets >= 1, burstMinutes >= 1 else { throw ValidationError("--burst-sheets and --burst-minutes must be 1 or more") }
        settings.review = ReviewRules(timeZone: try zone.timeZone(), opensAt: hours.opensAt, closesAt: hours.closesAt,
                                      burstSheets: burstSheets, burstMinutes: burstMinutes)

        let path = database.db ?? GuichetDatabase.defaultPath()
        let db = try GuichetDatabase(path: path, access: .server)
        let service = try GuichetService(settings: settings, database: db, logger: logger)
        let daemon = try service.start()
        let (dataDate, accounts) = try db.status()
        let host = bind.contains(":") ? "[\(bind)]" : bind
        // Straight to the file descriptor: a pipe (systemd, a test) must see this line at once, and stdio's
        // buffer is shared mutable state Swift 6 will not touch.
        FileHandle.standardOutput.write(Data("Guichet listening on http://\(host):\(daemon.port)/ — \(accounts) accounts, data of \(dataDate.map(Timestamp.format) ?? "never imported"), database \(path)\n".utf8))

        // Graceful stop: the signal stops accepting, in-flight requests finish, then the database closes.
        let stopped = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stopped.signal() }
            source.resume()
            sources.append(source)
        }
        stopped.wait()
        logger.info("stopping: finishing in-flight requests")
        daemon.stop()
        try db.writer.close()
        logger.info("stopped")
        sources.forEach { $0.cancel() }
    }

    private func kioskRoot() throws -> String {
        if let kiosk { return kiosk }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var candidates = [FileManager.default.currentDirectoryPath + "/Kiosk/web", "/usr/share/guichet/web"]
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.path + "/Kiosk/web")
            folder = folder.deletingLastPathComponent()
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/index.html") }) else {
            throw ValidationError("cannot find the kiosk page (Kiosk/web/index.html); give --kiosk DIR")
        }
        return found
    }
}
