import Foundation
import Guichet
import HTTPServer

extension GuichetService {
    struct SheetBody: Decodable {
        let idCheck: String
        let recipient: String
        /// A reviewer's confirmation that the account is gone from the export and the sheet is wanted anyway.
        var confirmGone: Bool?
    }

    struct Printed: Encodable {
        let printed: Bool
        let job: String
        let sheet: Int64
    }

    /// `POST /api/v1/accounts/{login}/sheet` `{"idCheck", "recipient"}`: the sheet as `application/pdf` (its number in
    /// `X-Guichet-Sheet`), or, with a printer configured, sent to CUPS and answered `{"printed", "job", "sheet"}`.
    func printSheet(_ request: Request, _ session: Session) throws -> Response {
        let body = try decodeBody(SheetBody.self, from: request)
        guard let idCheck = IDCheck(rawValue: body.idCheck) else { throw APIError.badIDCheck(body.idCheck) }
        let login = request.pathParameters["login"] ?? ""
        let staff = session.staff.name
        let confirmGone = body.confirmGone == true
        if confirmGone && session.staff.role != .reviewer { throw APIError.forbidden }
        // With the ENT connected, its state of the account now (2 s at most) wins over the last import's.
        var ent: ENTCheck?
        if let entRenewals {
            let check = Sheets.askENT(database, login: login, session: entRenewals.session)
            if case .checked(let live) = check, live.blocked {
                try Sheets.journalBlocked(database, login: login, staff: staff, channel: .kiosk)
                throw APIError.entAccountBlocked(login)
            }
            ent = check
        }
        let sheet = try Sheets.printAtDesk(
            database, login: login, idCheck: idCheck, recipient: Recipient(body.recipient),
            staff: staff, channel: .kiosk, settings: settings.sheetSettings, printer: settings.printer,
            allowGone: confirmGone, ent: ent)
        guard let printer = settings.printer else {
            return Response(
                status: 200,
                headers: [
                    "Content-Type": "application/pdf",
                    "Content-Disposition": "inline; filename=\"fiche-\(sheet.number).pdf\"",
                    "X-Guichet-Sheet": String(sheet.number)
                ], body: sheet.pdf)
        }
        do {
            let job = try CUPSPrinter(queue: printer).submit(sheet.pdf, title: "Guichet \(sheet.number)")
            return .json(Printed(printed: true, job: job, sheet: sheet.number))
        } catch {
            logger.warning("printing sheet \(sheet.number) on \(printer) failed: \(error.message)")
            try Sheets.journalPrintFailure(
                database, number: sheet.number, login: login, printer: printer, error: error.message,
                staff: staff, channel: .kiosk)
            throw APIError.printFailed(error.message)
        }
    }

    /// `POST /api/v1/batches` `{"filters": {...}, "sort": [...], "perPage": 1|2|8}` (reviewers): the PDF.
    func printBatch(_ request: Request, _ session: Session) throws -> Response {
        let (body, filter, sort) = try batchRequest(request)
        guard let perPage = SheetsPerPage(rawValue: body.perPage ?? 1) else {
            throw APIError.badFilter("perPage must be 1, 2 or 8")
        }
        // With the ENT connected, a batch of up to 50 is checked with it first (its state wins, blocked: no sheet).
        var ent: [String: ENTCheck]?
        if let entRenewals {
            let logins = try Sheets.preview(database, filter: filter, sort: sort).map(\.login)
            if logins.count <= Sheets.entCheckedBatchLimit {
                ent = Sheets.askENT(database, logins: logins, session: entRenewals.session)
            }
        }
        let batch = try Sheets.batch(
            database, filter: filter, sort: sort, perPage: perPage, staff: session.staff.name,
            channel: .kiosk, settings: settings.sheetSettings, ent: ent)
        return Response(
            status: 200,
            headers: [
                "Content-Type": "application/pdf",
                "Content-Disposition": "inline; filename=\"fiches-\(batch.number).pdf\"",
                "X-Guichet-Sheet": String(batch.number),
                "X-Guichet-Count": String(batch.logins.count)
            ], body: batch.bytes)
    }

    struct Preview: Encodable {
        let count: Int
        let logins: [String]
        let first: [BatchPreviewEntry]
        /// With `"list": {offset, limit, sort, descending, search}` in the body: a page of the console's table.
        var list: BatchListPage? = nil
    }

    /// `POST /api/v1/batches/preview` (same body): how many sheets the batch would print, the first 50 logins, and
    /// the first ten accounts by name and class (what the reviewer's screen shows).
    func previewBatch(_ request: Request, _ session: Session) throws -> Response {
        let (body, filter, sort) = try batchRequest(request)
        let entries = try Sheets.preview(database, filter: filter, sort: sort)
        var preview = Preview(count: entries.count, logins: entries.prefix(50).map(\.login), first: Array(entries.prefix(10)))
        if let query = body.list { preview.list = try Sheets.previewList(database, filter: filter, sort: sort, query: query) }
        return .json(preview)
    }

    /// `POST /api/v1/batches/csv` (same body; reviewers): the selection as the ENT console's publipostage list,
    /// `text/csv`, journalled as `batch-exported` (its seq in `X-Guichet-Journal`).
    func exportBatch(_ request: Request, _ session: Session) throws -> Response {
        let (_, filter, sort) = try batchRequest(request)
        let export = try Sheets.batchCSV(database, filter: filter, sort: sort, staff: session.staff.name, channel: .kiosk)
        return Response(
            status: 200,
            headers: [
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": "attachment; filename=\"selection-\(export.number).csv\"",
                "X-Guichet-Journal": String(export.number),
                "X-Guichet-Count": String(export.logins.count)
            ], body: export.bytes)
    }

    struct Classes: Encodable {
        let classes: [String]
        /// Each class with its level and structure (a cité scolaire's two "2NDE 1" are two entries).
        let entries: [ClassEntry]
    }

    /// `GET /api/v1/classes` (staff): the school's class names in school order, for the batch screen's filters.
    func listClasses(_ request: Request) throws -> Response {
        let entries = try Sheets.classList(database, levels: settings.classLevels, structures: settings.structures)
        return .json(Classes(classes: Sheets.classNames(of: entries, levels: settings.classLevels), entries: entries))
    }

    /// Every batch route's body, read with the configuration's federation, levels and structures; a class named
    /// without its structure that two structures have is 400 `bad-filter`, naming them.
    func batchRequest(_ request: Request) throws -> (BatchBody, BatchFilter, [BatchSortKey]) {
        let body = try decodeBody(BatchBody.self, from: request)
        var (filter, sort) = try body.parsed(settings.federatedProfiles, settings.classLevels)
        filter.schoolStructures = settings.structures
        try Sheets.checkClasses(database, filter: filter)
        return (body, filter, sort)
    }
}

/// A batch request as sent: profiles by their command-line names, yes/no filters as booleans, days as "yyyy-MM-dd".
struct BatchBody: Decodable {
    struct Filters: Decodable {
        /// `"2NDE 1"` or `{"structure": "…", "name": "2NDE 1"}` (see `BatchClass`).
        var classes: [BatchClass]?
        var profiles: [String]?
        var levels: [String]?
        var activated: Bool?
        var hasEmail: Bool?
        var gone: Bool?
        /// Gone accounts are left out unless asked: `"gone": true` (only them) or `"includeGone": true` (everyone).
        var includeGone: Bool?
        var localAdmins: Bool?
        var structures: [String]?
        var createdAfter: String?
        var createdBefore: String?
    }

    var filters: Filters?
    var sort: [String]?
    var perPage: Int?
    /// The preview's table page (`POST /api/v1/batches/preview` only).
    var list: BatchListQuery?

    func parsed(_ federation: Federation = Federation(), _ levels: ClassLevels = .standard) throws -> (
        BatchFilter, [BatchSortKey]
    ) {
        var filter = BatchFilter()
        (filter.federation, filter.classLevels) = (federation, levels)
        let f = filters ?? Filters()
        filter.classes = f.classes ?? []
        filter.levels = f.levels ?? []
        filter.profiles = try (f.profiles ?? []).map { name in
            guard let p = Profile(option: name) else { throw APIError.badFilter("unknown profile \(name)") }
            return p
        }
        (filter.activated, filter.hasEmail, filter.gone) = (
            f.activated, f.hasEmail, f.includeGone == true ? nil : (f.gone ?? false)
        )
        (filter.localAdmins, filter.structures) = (f.localAdmins, f.structures ?? [])
        for day in [f.createdAfter, f.createdBefore].compactMap({ $0 }) where !Self.isDay(day) {
            throw APIError.badFilter("dates are yyyy-MM-dd, not \(day)")
        }
        (filter.createdAfter, filter.createdBefore) = (f.createdAfter, f.createdBefore)
        let sort = try (sort ?? ["class"]).map { key in
            guard let k = BatchSortKey(rawValue: key) else {
                throw APIError.badFilter("sort keys are class, profile and name, not \(key)")
            }
            return k
        }
        return (filter, sort)
    }

    static func isDay(_ text: String) -> Bool {
        text.count == 10 && text.enumerated().allSatisfy { i, c in [4, 7].contains(i) ? c == "-" : c.isASCII && c.isNumber }
    }
}
