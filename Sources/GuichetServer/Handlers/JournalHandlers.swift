import Foundation
import Guichet
import HTTPServer

extension GuichetService {
    /// `GET /api/v1/journal?day=YYYY-MM-DD[&staff=][&action=]` (reviewer): the day's entries, counts, flags, head
    /// and sign-offs. Reading the journal is not itself journalled: the review's outcome, the sign-off, is.
    func journalDay(_ request: Request) throws -> Response {
        let day = try requestedDay(request)
        let staff = request.query("staff").flatMap { $0.isEmpty ? nil : $0 }
        var action: String? = nil
        if let a = request.query("action"), !a.isEmpty {
            guard JournalAction(rawValue: a) != nil else { throw APIError.unknownAction(a) }
            action = a
        }
        let rules = settings.review
        let review = try database.writer.read { db in
            try JournalReview.make(db, day: day, staff: staff, action: action, rules: rules)
        }
        return .json(review)
    }

    /// `GET /api/v1/journal/report?day=YYYY-MM-DD` (reviewer): the printable daily report, as a PDF.
    func journalReport(_ request: Request, _ session: Session) throws -> Response {
        let day = try requestedDay(request)
        let pdf = try JournalReport.render(
            database, day: day, rules: settings.review, schoolName: settings.schoolName,
            by: session.staff.name)
        var response = Response(status: 200, body: pdf)
        response.headers.add("Content-Type", "application/pdf")
        response.headers.add("Content-Disposition", "inline; filename=\"journal-\(day).pdf\"")
        return response
    }

    struct SignOffBody: Decodable {
        let day: String
    }

    /// `POST /api/v1/journal/signoff {"day"}` (reviewer): "Valider la journée"; 201 with the sign-off.
    func signOffDay(_ request: Request, _ session: Session) throws -> Response {
        let body = try decodeBody(SignOffBody.self, from: request)
        guard let day = JournalDay(body.day) else { throw APIError.badDay(body.day) }
        let signOff = try Journal.signOff(
            database, day: day, staff: session.staff.name, channel: .kiosk, timeZone: settings.review.timeZone)
        return .json(signOff, status: 201)
    }

    /// `day=` of the query, or today in the school's time zone when absent.
    private func requestedDay(_ request: Request) throws -> JournalDay {
        guard let text = request.query("day"), !text.isEmpty else { return JournalDay.of(Date(), in: settings.review.timeZone) }
        guard let day = JournalDay(text) else { throw APIError.badDay(text) }
        return day
    }
}
