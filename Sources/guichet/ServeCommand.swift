import ArgumentParser
import Foundation
import Guichet
import GuichetServer
import Logging

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the kiosk page and its API on libmicrohttpd until SIGTERM or SIGINT.",
        discussion:
            "Settings come from the configuration file (--config, else /etc/guichet/guichet.toml); each flag overrides its key.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on, an IP literal ([server] bind).") var bind: String?
    @Option(help: "Port to listen on, 0 for any free port ([server] port).") var port: Int?
    @Option(help: "libmicrohttpd worker threads ([server] threads).") var threads: Int?
    @Flag(
        name: .customLong("insecure-lan"),
        help: "Allow plain HTTP on an address beyond loopback (passwords cross the network in clear).")
    var insecureLAN = false
    @Option(name: .customLong("tls-certificate"), help: "PEM certificate chain ([tls] certificate).") var tlsCertificate: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key, unencrypted ([tls] key).") var tlsKey: String?
    @Option(
        help:
            "The kiosk page's folder ([kiosk] web; default: Kiosk/web beside the working directory or the executable, or /usr/share/guichet/web)."
    )
    var kiosk: String?
    @Option(help: "The CUPS queue sheets are sent to with lp ([print] printer); \"\" lets the kiosk print the PDF.") var printer:
        String?
    @OptionGroup var sheet: SheetOptions
    @Option(
        name: .customLong("idle-lock-seconds"),
        help: "The kiosk locks after this many idle seconds ([kiosk] idle_lock_seconds; env GUICHET_IDLE_LOCK_SECONDS).")
    var idleLockSeconds: Int?
    @Option(
        name: .customLong("next-person-seconds"),
        help: "Seconds from a printed sheet to a desk cleared for the next person, 0 for never ([kiosk] next_person_seconds).")
    var nextPersonSeconds: Int?
    @Option(
        name: .customLong("session-idle-minutes"),
        help: "A session ends after this many minutes without a request ([kiosk] session_idle_minutes).")
    var sessionIdleMinutes: Int?
    @OptionGroup var renewal: RenewalOptions
    @Option(
        name: .customLong("time-zone"),
        help: "The school's time zone ([school] time_zone; env GUICHET_TIME_ZONE; default Europe/Paris).")
    var timeZone: String?
    @Option(
        name: .customLong("opening-hours"),
        help: "The desk's opening hours, for the journal review: actions outside them are flagged ([review] opening_hours).")
    var openingHours: String?
    @Option(
        name: .customLong("burst-sheets"),
        help: "The journal review flags more than this many sheets by one agent… ([review] burst_sheets)")
    var burstSheets: Int?
    @Option(name: .customLong("burst-minutes"), help: "… within this many minutes ([review] burst_minutes).")
    var burstMinutes: Int?

    func run() throws {
        // SIGTERM and SIGINT are blocked before any thread starts (libmicrohttpd's, GRDB's, the mail sender
        // inherit the mask) and taken with sigwait once serving: a signal that arrives at any moment stays pending
        // and is never lost. (A dispatch source installed after start-up could miss one sent right after the
        // readiness line: seen as a rare `serve` that ignored its first SIGTERM.)
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "guichet")
        let configuration: GuichetConfiguration
        let settings: ServerSettings
        do {
            configuration = try database.configuration().applying(overrides())
            try configuration.checkListening(insecureLAN: insecureLAN)
            settings = try configuration.serverSettings(kioskRoot: try kioskRoot(configuration))
        } catch let error as ConfigurationErrors {
            fail(error.description, code: 78)
        }
        if !configuration.bindsLoopbackOnly && settings.tls == nil {
            logger.warning(
                "serving plain HTTP on \(configuration.server.bind) (--insecure-lan): passwords cross the network in clear")
        }

        let path = database.databasePath(in: configuration)
        let db = try GuichetDatabase(path: path, access: .server)
        do { try db.checkJournalKey() } catch { fail("\(error)", code: 78) }
        do { try configuration.checkStructures(against: Sheets.exportStructures(db)) } catch let error as ConfigurationErrors {
            fail(error.description, code: 78)
        }
        let service = try GuichetService(settings: settings, database: db, logger: logger)
        let daemon = try service.start()
        service.mailSender?.start()
        let (dataDate, accounts) = try db.status()
        let bind = configuration.server.bind
        let host = bind.contains(":") ? "[\(bind)]" : bind
        let scheme = settings.tls == nil ? "http" : "https"
        logger.info(
            "configuration \(configuration.source ?? "built-in defaults"), database \(path), printer \(settings.printer ?? "none (the kiosk prints)"), mail \(settings.mail.map { "via \($0.host):\($0.port)" } ?? "off")"
        )
        // Straight to the file descriptor: a pipe (systemd, a test) must see this line at once, and stdio's
        // buffer is shared mutable state Swift 6 will not touch.
        FileHandle.standardOutput.write(
            Data(
                "Guichet listening on \(scheme)://\(host):\(daemon.port)/ — \(accounts) accounts, data of \(dataDate.map(Timestamp.format) ?? "never imported"), database \(path)\n"
                    .utf8))

        // Graceful stop: the signal stops accepting, in-flight requests finish, then the database closes.
        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        logger.info("stopping on signal \(received): finishing in-flight requests")
        daemon.stop()
        service.finish()  // journals the bursts of failed sign-ins still open
        // After the daemon: no request can queue more; the message in hand is finished, none is left `sending`.
        service.mailSender?.stop()
        try db.writer.close()
        logger.info("stopped")
    }

    /// The flags given, as the configuration keys they override (flags win over the file).
    private func overrides() throws -> [GuichetConfiguration.Override] {
        typealias O = GuichetConfiguration.Override
        var list: [O] = []
        if let bind { list.append(O("--bind", "server.bind", .string(bind))) }
        if let port { list.append(O("--port", "server.port", .integer(port))) }
        if let threads { list.append(O("--threads", "server.threads", .integer(threads))) }
        if let tlsCertificate { list.append(O("--tls-certificate", "tls.certificate", .string(tlsCertificate))) }
        if let tlsKey { list.append(O("--tls-key", "tls.key", .string(tlsKey))) }
        if let kiosk { list.append(O("--kiosk", "kiosk.web", .string(kiosk))) }
        if let printer { list.append(O("--printer", "print.printer", .string(printer))) }
        let idle = idleLockSeconds ?? ProcessInfo.processInfo.environment["GUICHET_IDLE_LOCK_SECONDS"].flatMap(Int.init)
        if let idle { list.append(O("--idle-lock-seconds", "kiosk.idle_lock_seconds", .integer(idle))) }
        if let nextPersonSeconds {
            list.append(O("--next-person-seconds", "kiosk.next_person_seconds", .integer(nextPersonSeconds)))
        }
        if let sessionIdleMinutes {
            list.append(O("--session-idle-minutes", "kiosk.session_idle_minutes", .integer(sessionIdleMinutes)))
        }
        if let zone = timeZone ?? ProcessInfo.processInfo.environment["GUICHET_TIME_ZONE"] {
            list.append(O("--time-zone", "school.time_zone", .string(zone)))
        }
        if let openingHours { list.append(O("--opening-hours", "review.opening_hours", .string(openingHours))) }
        if let burstSheets { list.append(O("--burst-sheets", "review.burst_sheets", .integer(burstSheets))) }
        if let burstMinutes { list.append(O("--burst-minutes", "review.burst_minutes", .integer(burstMinutes))) }
        return list + (try sheet.overrides()) + renewal.overrides()
    }

    private func kioskRoot(_ configuration: GuichetConfiguration) throws -> String {
        if let web = configuration.kiosk.web, !FileManager.default.fileExists(atPath: web + "/index.html") {
            throw ValidationError("the kiosk page is not in \(web) (no index.html); fix [kiosk] web or --kiosk")
        }
        guard let found = findKioskRoot(configuration) else {
            throw ValidationError("cannot find the kiosk page (Kiosk/web/index.html); give --kiosk DIR or [kiosk] web")
        }
        return found
    }
}

/// The kiosk page's folder: `[kiosk] web`, else `Kiosk/web` in the working directory or up to four folders above
/// the executable (development), else the installed `/usr/share/guichet/web`; nil when none holds an index.html.
func findKioskRoot(_ configuration: GuichetConfiguration) -> String? {
    if let web = configuration.kiosk.web { return FileManager.default.fileExists(atPath: web + "/index.html") ? web : nil }
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var candidates = [FileManager.default.currentDirectoryPath + "/Kiosk/web"]
    var folder = executable.deletingLastPathComponent()
    for _ in 0..<4 {
        candidates.append(folder.path + "/Kiosk/web")
        folder = folder.deletingLastPathComponent()
    }
    candidates.append("/usr/share/guichet/web")
    return candidates.first { FileManager.default.fileExists(atPath: $0 + "/index.html") }
}
