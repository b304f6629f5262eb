import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import Relief
import ReliefFormats

/// How `relief serve` runs.
public struct ServerSettings: Sendable {
    /// The address to listen on; loopback by default (put a TLS proxy in front to serve a network).
    public var host = "127.0.0.1"
    public var port = 8080
    /// The catalogue folder (the command finds it with ``Relief/findDataDirectory(_:environment:executable:)``; nil: `./data`).
    public var dataDirectory: String?
    /// Planning threads, each with its own GLPK models for its whole life.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Requests that may wait for a planning thread; one more is answered 503 with Retry-After.
    public var queueCapacity = 64
    /// The most time one request may take: a request's `time_limit` is capped to it, and work
    /// still running after it (a long programme) is stopped and answered 503.
    public var maxSeconds: Double = 30
    /// The largest request body, in bytes; a larger one is answered 413.
    public var bodyLimit = 64 * 1024
    /// Seconds a connection may send nothing (mid-header, mid-body or idle between requests)
    /// before it is closed, and the most a whole body may take to arrive (then 408).
    public var idleTimeout: Double = 10

    public init() {}

    /// The settings' own ranges, as the request validator words them.
    public func problems() -> [RequestProblem] {
        var out: [RequestProblem] = []
        if !(1...65_535).contains(port) { out.append(RequestProblem(field: "port", value: String(port), expected: "a whole number from 1 to 65,535")) }
        if !(1...256).contains(threads) { out.append(RequestProblem(field: "threads", value: String(threads), expected: "a whole number from 1 to 256")) }
        if !(1...100_000).contains(queueCapacity) {
            out.append(RequestProblem(field: "queue", value: String(queueCapacity), expected: "a whole number from 1 to 100,000"))
        }
        if !(maxSeconds.isFinite && maxSeconds > 0 && maxSeconds <= Limits.timeLimit.upper) {
            out.append(RequestProblem(field: "max_seconds", value: format(maxSeconds), expected: Limits.timeLimit.expected))
        }
        if !(idleTimeout.isFinite && idleTimeout >= 0.1 && idleTimeout <= 3_600) {
            out.append(RequestProblem(field: "idle_timeout", value: format(idleTimeout), expected: "a number of seconds from 0.1 to 3,600"))
        }
        if !(1_024...(64 << 20)).contains(bodyLimit) {
            out.append(RequestProblem(field: "body_limit", value: String(bodyLimit), expected: "a whole number of bytes from 1,024 to 67,108,864"))
        }
        return out
    }
}

/// Relief over HTTP: the JSON API (`/v1/...`), the page (`/`), `/healthz`, `/metrics` and
/// `/openapi.yaml`, on one catalogue.
///
/// Every solve runs on a ``PlannerPool`` thread that keeps its GLPK models for its whole life;
/// handlers only parse, validate, await and print, so the server's own threads never block
/// on GLPK and `/healthz` answers while every planning thread is busy.
public final class ReliefService: Sendable {
    public let catalogue: Catalogue
    public let settings: ServerSettings
    public let pool: PlannerPool
    let planner: Planner
    let metrics: ServiceMetrics
    /// Today's date for programmes without a `start` and for checking a programme log.
    let today: @Sendable () -> CalendarDate
    let catalogueJSON: String
    let conditionsJSON: String
    let equipmentJSON: String
    let screenJSON: String
    let openAPI: String

    public init(catalogue: Catalogue, settings: ServerSettings = ServerSettings(),
                today: @escaping @Sendable () -> CalendarDate = { CalendarDate.today(secondsSince1970: Date().timeIntervalSince1970) }) {
        self.catalogue = catalogue
        self.settings = settings
        self.today = today
        planner = Planner(catalogue: catalogue)
        pool = PlannerPool(planner: planner, threads: settings.threads, capacity: settings.queueCapacity)
        metrics = ServiceMetrics(threads: pool.threads)
        catalogueJSON = CatalogueDocument(catalogue).json()
        conditionsJSON = ConditionsDocument(catalogue).json()
        equipmentJSON = EquipmentDocument(catalogue).json()
        screenJSON = ScreenDocument().json()
        openAPI = Self.openAPIText()
    }

    /// Loads the catalogue from the settings' data folder (errors name the file, line and column).
    public static func load(settings: ServerSettings) throws -> ReliefService {
        let problems = settings.problems()
        if !problems.isEmpty { throw RequestError(problems: problems) }
        let catalogue = try Catalogue.load(directory: settings.dataDirectory ?? "data")
        return ReliefService(catalogue: catalogue, settings: settings)
    }

    /// The OpenAPI document shipped with the server (the repository's `openapi.yaml`).
    static func openAPIText() -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }

    /// Stops taking work and waits for the planning threads to finish and free their models.
    public func shutdown() { pool.shutdown() }

    /// Every route.
    public func router() -> Router<ReliefRequestContext> { router(adding: { _ in }) }

    /// Every route, then those `more` adds (the clinic's, when the service runs with one): they
    /// come after the middleware, so they get the same security headers, Host check and metrics.
    public func router(adding more: (Router<ReliefRequestContext>) -> Void) -> Router<ReliefRequestContext> {
        let router = Router(context: ReliefRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: SecurityMiddleware(allowedHosts: allowedHosts))
        router.get("/healthz") { _, _ in self.health() }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: self.metrics.text(pool: self.pool))))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: self.openAPI)))
        }
        router.get("/v1/catalogue") { _, _ in jsonResponse(self.catalogueJSON) }
        router.get("/v1/conditions") { _, _ in jsonResponse(self.conditionsJSON) }
        router.get("/v1/equipment") { _, _ in jsonResponse(self.equipmentJSON) }
        router.get("/v1/screen") { _, _ in jsonResponse(self.screenJSON) }
        router.post("/v1/screen") { request, _ in try await self.screen(request) }
        router.post("/v1/plan") { request, _ in try await self.plan(request) }
        router.post("/v1/frontier") { request, _ in try await self.frontier(request) }
        router.post("/v1/programme") { request, _ in try await self.programme(request) }
        router.get("/") { _, _ in htmlResponse(self.page(form: PageForm(), result: nil)) }
        router.get("/page.js") { _, _ in staticResponse(pageScript, type: "text/javascript; charset=utf-8") }
        router.get("/page.css") { _, _ in staticResponse(pageStyle, type: "text/css; charset=utf-8") }
        router.post("/") { request, _ in try await self.pagePost(request) }
        more(router)
        return router
    }

    /// A Hummingbird application serving ``router()`` on the settings' host and port.
    public func application(adding more: (Router<ReliefRequestContext>) -> Void = { _ in },
                            onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
        -> some ApplicationProtocol {
        // A connection that sends nothing for `idleTimeout` (a half-sent header, a stalled body,
        // a kept-alive connection left open) is closed; headers are kept small.
        var http1 = HTTP1Channel.Configuration(idleTimeout: .nanoseconds(Int64(settings.idleTimeout * 1e9)))
        http1.httpDecoder = .init(maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100)
        return Application(router: router(adding: more), server: .http1(configuration: http1),
                           configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "relief"),
                           onServerRunning: onServerRunning)
    }

    // MARK: Health

    func health() -> Response {
        let body = #"{"busy":\#(pool.busyWorkers),"queued":\#(pool.queueDepth),"status":"ok","workers":\#(pool.threads)}"#
        return jsonResponse(body + "\n")
    }

    // MARK: Running work on the pool

    /// Runs `work` on a planning thread, stopped when the client goes away or the server's
    /// `maxSeconds` pass; pool refusals become 503s.
    func solve<T: Sendable>(_ route: String, _ work: @escaping @Sendable (PlanningSession) throws -> T) async throws -> T {
        let started = ContinuousClock.now
        defer { metrics.solver(route: route, duration: ContinuousClock.now - started) }
        do {
            // At maxSeconds the client is answered 503 whatever the work is doing; a plan's own
            // time limit (capped a little below, ``planTimeLimit``) ends its search first and
            // returns the best routine found.
            return try await pool.run(deadline: .seconds(settings.maxSeconds), work)
        } catch let full as PlannerPool.Full {
            metrics.rejected(reason: "queue_full")
            throw APIFailure(status: .serviceUnavailable, message: full.description, retryAfter: 1)
        } catch let late as PlannerPool.DeadlinePassed {
            metrics.rejected(reason: "deadline")
            throw APIFailure(status: .serviceUnavailable,
                             message: "\(late.description); this server allows \(format(settings.maxSeconds)) s a request (ask for less, or run the relief command)",
                             retryAfter: nil)
        } catch is PlannerPool.ShutDown {
            metrics.rejected(reason: "shutting_down")
            throw APIFailure(status: .serviceUnavailable, message: "the server is shutting down", retryAfter: 5)
        } catch is CancellationError {
            metrics.rejected(reason: "cancelled")
            throw CancellationError()
        } catch let e as RequestError {
            throw APIFailure(problems: e.problems)
        } catch let e as DataErrors {
            throw APIFailure(status: .badRequest, message: e.description, retryAfter: nil)
        }
    }

    /// The request body as JSON, with the API's refusals: 415 for another content type, 413
    /// over the body limit, 400 for text that is not JSON (with its line and column).
    public func jsonBody(_ request: Request) async throws -> JSONNode {
        try requireContentType(request, "application/json")
        let bytes = try await collect(request.body)
        do {
            return try await offload { try JSONNode.parse(bytes: bytes) }
        } catch let e as JSONSyntaxError {
            throw APIFailure(problems: [RequestProblem(field: "body", value: nil, expected: "valid JSON: \(e.message)",
                                                       line: e.line, column: e.column)])
        }
    }

    func collect(_ body: RequestBody) async throws -> [UInt8] {
        do {
            let limit = settings.bodyLimit
            let buffer = try await withDeadline(seconds: settings.idleTimeout) { try await body.collect(upTo: limit) }
            return Array(buffer.readableBytesView)
        } catch is BodyTimedOut {
            throw APIFailure(status: .requestTimeout,
                             message: "the request body did not arrive within \(format(settings.idleTimeout)) s; send it whole", retryAfter: nil)
        } catch is NIOTooManyBytesError {
            throw APIFailure(status: .contentTooLarge,
                             message: "the request body is over \(settings.bodyLimit) bytes; send a smaller request", retryAfter: nil)
        }
    }

    func requireContentType(_ request: Request, _ type: String) throws {
        let given = request.headers[.contentType] ?? ""
        let base = given.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if base != type {
            throw APIFailure(status: .unsupportedMediaType,
                             message: "Content-Type must be \(type), got \(given.isEmpty ? "none" : "\"\(given)\"")", retryAfter: nil)
        }
    }

    /// A plan request from a JSON object: the keys of a batch line (plus `extraKeys`), read by
    /// ``PlanRequest/read(_:extraKeys:explainByDefault:otherProblems:catalogue:)``; its
    /// `time_limit` capped to the server's.
    func planRequest(_ node: JSONNode, extraKeys: Set<String> = []) throws -> PlanRequest {
        let (read, problems) = PlanRequest.read(node, extraKeys: extraKeys, catalogue: catalogue)
        if !problems.isEmpty { throw APIFailure(problems: problems) }
        var request = read
        // A request without a time limit is bounded by work (``WorkBounds``) and by the
        // deadline (503 at maxSeconds): its answer is then a function of its body, the same
        // bytes as `relief plan` and reusable by the next request of the same sub-problem.
        if let limit = request.timeLimit { request.timeLimit = min(limit, planTimeLimit) }
        return request
    }

    /// A request's own time limit at most: a tenth (at least half a second) below `maxSeconds`,
    /// so that a plan stopped by its own limit is assembled and answered within `maxSeconds`.
    var planTimeLimit: Double { max(settings.maxSeconds * 0.5, settings.maxSeconds - max(0.5, settings.maxSeconds / 10)) }

    // MARK: The API

    func plan(_ request: Request) async throws -> Response {
        let node = try await jsonBody(request)
        let planRequest = try await offload { try self.planRequest(node) }
        let text = try await solve("/v1/plan") { session in try session.plan(planRequest).jsonText() }
        return jsonResponse(text)
    }

    /// The most budgets one frontier request may ask for (the command line allows ``Limits/frontierBudgets``).
    static let frontierBudgets = 100

    func frontier(_ request: Request) async throws -> Response {
        let node = try await jsonBody(request)
        let (range, rangeProblems) = FrontierRange.read(node, maxBudgets: Self.frontierBudgets)
        var planRequest = try await offload { try self.planRequest(node, extraKeys: FrontierRange.keys) }
        if !rangeProblems.isEmpty { throw APIFailure(problems: rangeProblems) }
        planRequest.explain = false
        let request = planRequest
        let budgets = range.budgets
        let points = try await solve("/v1/frontier") { session in try session.frontier(request, minutes: budgets) }
        return jsonResponse(FrontierDocument(points).json())
    }

    func programme(_ request: Request) async throws -> Response {
        let node = try await jsonBody(request)
        let today = self.today()
        let planRequest = try await offload { try self.planRequest(node, extraKeys: ["programme", "log"]) }
        // The settings are a "programme" object, as in a profile.
        var settings = ProgrammeSettings(start: today)
        if case .object(let members) = node.value, let settingsNode = members.first(where: { $0.key == "programme" })?.value,
           settingsNode.value != .null {
            let (decoded, problems) = ProgrammeSettings.decode(settingsNode, over: settings)
            if !problems.isEmpty { throw APIFailure(problems: problems.map(\.inProgramme)) }
            settings = decoded
            let rangeProblems = settings.problems()
            if !rangeProblems.isEmpty {
                throw APIFailure(problems: PlanRequest.locate(rangeProblems, in: settingsNode).map(\.inProgramme))
            }
        }
        var log: ProgrammeLog?
        if case .object(let members) = node.value, let logNode = members.first(where: { $0.key == "log" })?.value {
            guard case .string(let text) = logNode.value else {
                throw APIFailure(problems: [RequestProblem(field: "log", value: logNode.shown,
                                                           expected: "the programme log as one string of JSON Lines (the file relief log writes)",
                                                           line: logNode.line, column: logNode.column)])
            }
            do {
                log = try ProgrammeLog.parse(text, file: "log", settings: settings, catalogue: catalogue, today: today)
            } catch let e as DataErrors {
                throw APIFailure(status: .badRequest, message: e.description, retryAfter: nil)
            }
        }
        let planner = self.planner, programmeLog = log, programmeSettings = settings
        let text = try await solve("/v1/programme") { session in
            try ProgrammePlanner(planner: planner, stop: session.stop)
                .plan(settings: programmeSettings, request: planRequest, log: programmeLog).jsonText()
        }
        return jsonResponse(text)
    }

    /// A programme planned on a planning thread exactly as `/v1/programme` plans one, with the
    /// same refusals (503 when the pool is full or the deadline passes, 400 for a request the
    /// catalogue refuses): for callers outside this module (the clinic's prescriptions).
    public func planProgramme(_ route: String, settings: ProgrammeSettings, request: PlanRequest, log: ProgrammeLog? = nil) async throws -> Programme {
        let planner = self.planner
        var planRequest = request
        if let limit = planRequest.timeLimit { planRequest.timeLimit = min(limit, planTimeLimit) }
        let capped = planRequest
        return try await solve(route) { session in
            try ProgrammePlanner(planner: planner, stop: session.stop).plan(settings: settings, request: capped, log: log)
        }
    }

    func screen(_ request: Request) async throws -> Response {
        let node = try await jsonBody(request)
        guard case .object(let members) = node.value else {
            throw APIFailure(problems: [RequestProblem(field: "body", value: node.shown, expected: #"an object {"answers": {"fever": false, ...}}"#,
                                                       line: node.line, column: node.column)])
        }
        var problems: [RequestProblem] = []
        var answers: [String: Bool] = [:]
        var sawAnswers = false
        for m in members {
            guard m.key == "answers" else {
                problems.append(RequestProblem(field: m.key, value: nil, expected: "unknown key; expected answers",
                                               line: m.value.line, column: m.value.column))
                continue
            }
            sawAnswers = true
            let (read, answerProblems) = RedFlagScreen.answers(m.value, field: "answers")
            answers.merge(read) { _, later in later }
            problems += answerProblems
        }
        if !sawAnswers { problems.append(RequestProblem(field: "answers", value: nil, expected: "missing key \"answers\"", line: node.line, column: node.column)) }
        if !problems.isEmpty { throw APIFailure(problems: problems) }
        return jsonResponse(documentText(RedFlagScreen.assess(answers)))
    }
}

/// A refusal with a JSON body: `{"error": "...", "problems": [{"field", "value", "expected", "line", "column"}]}`.
public struct APIFailure: HTTPResponseError {
    public let status: HTTPResponse.Status
    public let message: String
    public let problems: [RequestProblem]
    public let retryAfter: Int?

    public init(status: HTTPResponse.Status, message: String, retryAfter: Int?) {
        self.status = status
        self.message = message
        problems = []
        self.retryAfter = retryAfter
    }

    /// 400 for problems with a request, worded as the command line words them.
    public init(problems: [RequestProblem]) {
        status = .badRequest
        message = problems.map(\.description).joined(separator: "; ")
        self.problems = problems
        retryAfter = nil
    }

    struct Problem: Encodable { let field: String; let value: String?; let expected: String; let line: Int?; let column: Int? }
    struct Body: Encodable { let error: String; let problems: [Problem] }

    public func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    /// The refusal as a response: its status, the JSON body and any Retry-After.
    public func response() -> Response {
        let body = Body(error: message, problems: problems.map {
            Problem(field: $0.field, value: $0.value, expected: $0.expected, line: $0.line, column: $0.column)
        })
        var response = jsonResponse(documentText(body), status: status)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

/// Runs `work` on one Dispatch thread of its own rather than on Swift's cooperative pool:
/// reading and checking a large body takes milliseconds, and ten of them at once on the pool's
/// threads (or on every core) would hold up every other handler, `/healthz` included. One
/// thread is plenty: an ordinary body is read in microseconds.
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        decodeQueue.async { continuation.resume(with: Result { try work() }) }
    }
}

private let decodeQueue = DispatchQueue(label: "relief.request-decoding", qos: .utility)

func jsonResponse(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
             body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// The page's policy: its own script and style files only (no inline script, style or
/// handler), images of its own or inline SVG data, forms posted only to itself, never framed.
let pageContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

public func htmlResponse(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "text/html; charset=utf-8",
                                       .contentSecurityPolicy: pageContentSecurityPolicy],
             body: .init(byteBuffer: ByteBuffer(string: text)))
}

func staticResponse(_ text: String, type: String) -> Response {
    Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
             body: .init(byteBuffer: ByteBuffer(string: text)))
}

extension RequestProblem {
    /// The problem with its field inside the request's "programme" object.
    var inProgramme: RequestProblem {
        RequestProblem(field: "programme.\(field)", value: value, expected: expected, line: line, column: column)
    }
}
