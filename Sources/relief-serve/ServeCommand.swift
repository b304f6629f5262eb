import ArgumentParser
import Foundation
import Hummingbird
import Relief
import ReliefClinic
import ReliefClinicServer
import ReliefServer

/// `relief serve` (and `relief-serve`): the JSON API and the page.
@main
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relief serve",
        abstract: "Serve Relief over HTTP: a JSON API for apps and a page for people and clinicians.",
        discussion: """
        Examples:
          relief serve                         # http://127.0.0.1:8080/ (the page), /v1/plan (the API)
          relief serve --port 9000 --threads 2 --max-seconds 10

        Hardening: a connection silent for --idle-timeout is closed; answers carry nosniff, \
        frame and referrer headers, and the page a Content-Security-Policy without inline \
        script; on a loopback address only Host 127.0.0.1, localhost or [::1] is answered \
        (421 otherwise, against DNS rebinding); a Transfer-Encoding other than chunked is 501; \
        a request reports at most 20 problems.

        Routes: GET / (the page), POST /v1/plan, POST /v1/frontier, POST /v1/programme, \
        GET|POST /v1/screen, GET /v1/catalogue, /v1/conditions, /v1/equipment, GET /healthz, \
        GET /metrics (Prometheus), GET /openapi.yaml (the contract).

        Every solve runs on one of --threads planning threads that keep their GLPK models; \
        up to --queue requests wait, and one more is answered 503 with Retry-After. \
        Ctrl-C stops taking requests, finishes those under way and exits 0.

        The clinic: --clinic sqlite:PATH (or a plain path; created when missing) or \
        --clinic postgres://user@host:port/database adds the clinic's JSON routes under \
        /v1/clinic/... and /v1/patient/{token}, and their contract at GET /openapi-clinic.yaml. \
        Set one up first: relief serve --clinic PATH --create-clinic NAME --clinician-email E \
        --password-file F (F holds the password; - reads it from standard input) creates the \
        clinic and its first clinician, prints them and exits.

        Exit codes: 0 stopped cleanly (or the clinic was created), 64 bad flags, 65 bad catalogue \
        data, 66 no catalogue or no password file, 69 the clinic store could not be opened, \
        70 could not serve, 73 the clinic or clinician could not be created (an email taken, a \
        password too short).
        """
    )

    @Option(help: ArgumentHelp("Address to listen on (default 127.0.0.1: this machine only).", valueName: "host")) var host = "127.0.0.1"
    @Option(help: ArgumentHelp("Port to listen on.", valueName: "n")) var port = 8080
    @Option(help: ArgumentHelp("The catalogue folder (default: $RELIEF_DATA, ./data, or the checkout's).", valueName: "dir")) var data: String?
    @Option(help: ArgumentHelp("Planning threads (default: one per core).", valueName: "n")) var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: ArgumentHelp("Requests that may wait for a planning thread before the server answers 503.", valueName: "n")) var queue = 64
    @Option(help: ArgumentHelp("The most seconds one request may take (then 503); a request's own time_limit is capped a tenth below it.", valueName: "s"), transform: decimalFlag) var maxSeconds: Double = 30
    @Option(help: ArgumentHelp("The largest request body in bytes (larger: 413).", valueName: "bytes")) var bodyLimit = 65_536
    @Option(help: ArgumentHelp("Seconds a connection may send nothing (mid-header, mid-body or idle) before it is closed; a body must arrive within it (else 408).", valueName: "s"), transform: decimalFlag) var idleTimeout: Double = 10

    @Option(help: ArgumentHelp("The clinic's store: sqlite:PATH, a path, or postgres://user@host:port/database (adds /v1/clinic/...).", valueName: "url")) var clinic: String?
    @Option(help: ArgumentHelp("Create a clinic of this name in --clinic with its first clinician, then exit.", valueName: "name")) var createClinic: String?
    @Option(help: ArgumentHelp("With --create-clinic: the clinician's email (their sign-in).", valueName: "email")) var clinicianEmail: String?
    @Option(help: ArgumentHelp("With --create-clinic: the clinician's name as shown (default: the email).", valueName: "name")) var clinicianName: String?
    @Option(help: ArgumentHelp("With --create-clinic: a file holding the clinician's password (- for standard input; never on the command line).", valueName: "file")) var passwordFile: String?

    @Option(help: ArgumentHelp("With --clinic: minutes between sweeps that raise the alerts time brings (no log, low adherence, non-response; also at start); 0: only after each log.", valueName: "m"), transform: decimalFlag) var alertSweepMinutes: Double = 15

    @Option(help: ArgumentHelp("With --clinic: the address patients reach the server at (https://clinic.example.org), for the links clinicians copy (default: the request's own Host).", valueName: "url")) var publicURL: String?

    func validate() throws {
        if let u = publicURL {
            guard let parsed = URL(string: u), let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http", parsed.host != nil,
                  parsed.query == nil, parsed.fragment == nil else {
                throw ValidationError("--public-url must be an http(s) address such as https://clinic.example.org, got \"\(u.prefix(200))\"")
            }
        }
        guard alertSweepMinutes >= 0, alertSweepMinutes <= 1_440 else {
            throw ValidationError("--alert-sweep-minutes must be from 0 to 1440 (a day), got \(formatAmount(alertSweepMinutes))")
        }
        if createClinic != nil {
            guard clinic != nil else { throw ValidationError("--create-clinic needs --clinic (where the clinic is stored)") }
            guard clinicianEmail != nil else { throw ValidationError("--create-clinic needs --clinician-email (the first clinician's sign-in)") }
            guard passwordFile != nil else { throw ValidationError("--create-clinic needs --password-file (a file holding the password, or - for standard input)") }
        } else if clinicianEmail != nil || clinicianName != nil || passwordFile != nil {
            throw ValidationError("--clinician-email, --clinician-name and --password-file are for --create-clinic")
        }
        var s = settings
        s.dataDirectory = nil
        let names = ["port": "--port", "threads": "--threads", "queue": "--queue", "max_seconds": "--max-seconds", "body_limit": "--body-limit",
                     "idle_timeout": "--idle-timeout"]
        if let p = s.problems().first { throw ValidationError(p.message(naming: names[p.field] ?? p.field)) }
    }

    var settings: ServerSettings {
        var s = ServerSettings()
        s.host = host
        s.port = port
        s.dataDirectory = findDataDirectory(data, environment: ProcessInfo.processInfo.environment, executable: CommandLine.arguments[0])
        s.threads = threads
        s.queueCapacity = queue
        s.maxSeconds = maxSeconds
        s.bodyLimit = bodyLimit
        s.idleTimeout = idleTimeout
        return s
    }

    func run() async throws {
        Diagnostics.configure(Diagnostics.Settings(environment: ProcessInfo.processInfo.environment) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        })
        if let name = createClinic, let clinic, let email = clinicianEmail, let passwordFile {
            try await ClinicSetup(address: clinic, clinicName: name, email: email, displayName: clinicianName ?? email.trimmingCharacters(in: .whitespaces).lowercased(),
                                  passwordFile: passwordFile).run()
            return
        }
        let service: ReliefService
        do {
            service = try ReliefService.load(settings: settings)
        } catch let e as DataErrors {
            let missing = e.issues.contains(where: \.fileMissing)
            FileHandle.standardError.write(Data("error: \(e.description)\n".utf8))
            throw ExitCode(missing ? 66 : 65)
        }
        let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/"
        var store: (any ClinicStore)?
        if let clinic {
            store = try await ClinicSetup.open(clinic)
        }
        var web = ClinicWebSettings(listeningOn: host)
        web.publicURL = publicURL
        let routes = store.map { ClinicRoutes(service: service, store: $0, settings: web) }
        let note = routes == nil ? "" : "; the clinic at \(url)clinic and /v1/clinic/"
        let sweeper = routes.flatMap { r in
            alertSweepMinutes > 0 ? Task { await r.sweepEvery(seconds: alertSweepMinutes * 60) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } } : nil
        }
        defer { sweeper?.cancel() }
        let app = service.application(adding: { router in routes?.add(to: router) }) { _ in
            FileHandle.standardError.write(Data("Relief is serving on \(url) (\(service.pool.threads) planning threads\(note); Ctrl-C stops)\n".utf8))
        }
        do {
            try await app.runService()
        } catch {
            FileHandle.standardError.write(Data("error: could not serve on \(host):\(port): \(error)\n".utf8))
            service.shutdown()
            try? await store?.close()
            throw ExitCode(70)
        }
        service.shutdown()
        try? await store?.close()
    }
}

/// A flag's number in decimals only ("0x10", "nan" and "inf" are refused).
func decimalFlag(_ text: String) throws -> Double {
    guard let x = decimalNumber(text) else {
        throw ValidationError("expected a number in decimals (e.g. 10 or 2.5), got \"\(text)\"")
    }
    return x
}
