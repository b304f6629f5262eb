import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import Testing
import Relief
import ReliefFormats
@testable import ReliefServer

/// The repository's data folder and OpenAPI document.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let shippedCatalogue = try! Catalogue.load(directory: repository.appendingPathComponent("data").path)

/// A service on a free loopback port (live: the request bodies come off a real socket, as in
/// production), with `threads` planning threads and room for `queue` waiting requests.
func withService<T: Sendable>(threads: Int = 2, queue: Int = 16, maxSeconds: Double = 30, bodyLimit: Int = 64 * 1024,
                              _ test: @Sendable (ReliefService, any TestClientProtocol) async throws -> T) async throws -> T {
    var settings = ServerSettings()
    settings.port = 0
    settings.threads = threads
    settings.queueCapacity = queue
    settings.maxSeconds = maxSeconds
    settings.bodyLimit = bodyLimit
    // The test client keeps one connection between requests, and a loaded full run can leave it
    // idle past the default 10 s; closing idle connections is tested in tests/service/resilience_test.py.
    settings.idleTimeout = 600
    let service = ReliefService(catalogue: shippedCatalogue, settings: settings,
                                today: { CalendarDate("2026-11-25")! })
    defer { service.shutdown() }
    return try await service.application().test(.live) { client in try await test(service, client) }
}

func post(_ client: any TestClientProtocol, _ uri: String, _ body: String, type: String = "application/json") async throws -> TestResponse {
    try await client.executeRequest(uri: uri, method: .post, headers: [.contentType: type], body: ByteBuffer(string: body))
}

func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
    try await client.executeRequest(uri: uri, method: .get, headers: [:], body: nil)
}

func json(_ response: TestResponse) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any] ?? [:]
}

@Suite("HTTP API")
struct APITests {
    @Test("POST /v1/plan answers the plan document relief plan --format json prints, byte for byte")
    func planIsTheCLIDocument() async throws {
        try await withService { _, client in
            for body in [#"{"minutes": 15, "screen": "clear"}"#,
                         #"{"minutes": 20, "conditions": ["Flexion-Intolerant"], "equipment": ["foam roller"], "max_exercises": 6}"#,
                         #"{"minimums": {"trigger": 16}, "explain": false}"#] {
                let response = try await post(client, "/v1/plan", body)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                // The same request read the way the command line reads it (PlanRequest), planned
                // in-process and printed as --format json prints it.
                var (request, problems) = PlanRequest.decode(try JSONNode.parse(body))
                #expect(problems.isEmpty)
                request.timeLimit = 30
                let expected = try Planner(catalogue: shippedCatalogue).plan(request).jsonText()
                #expect(String(buffer: response.body) == expected, "\(body)")
            }
        }
    }

    @Test("bad requests: 400 naming field, value and expectation; 413; 415; 404")
    func refusals() async throws {
        try await withService(bodyLimit: 2_048) { _, client in
            // time_limit 1e17 once trapped in the duration conversion: now a located 400.
            var r = try await post(client, "/v1/plan", #"{"minutes": 15, "time_limit": 1e17}"#)
            #expect(r.status == .badRequest)
            var problem = try #require((try json(r)["problems"] as? [[String: Any]])?.first)
            #expect(problem["field"] as? String == "time_limit")
            #expect(problem["value"] as? String == "1e17")
            #expect(problem["expected"] as? String == "a number above 0 and at most 86,400")
            #expect(problem["line"] as? Int == 1 && problem["column"] as? Int == 31)

            r = try await post(client, "/v1/plan", "{\n  \"minutes\": 15,\n  \"minuets\": 3\n}")
            #expect(r.status == .badRequest)
            problem = try #require((try json(r)["problems"] as? [[String: Any]])?.first)
            #expect(problem["field"] as? String == "minuets")
            #expect((problem["expected"] as? String)?.hasPrefix("unknown key") == true)
            #expect(problem["line"] as? Int == 3)

            r = try await post(client, "/v1/plan", #"{"minutes": 15, "conditions": ["no-such-thing"]}"#)
            #expect(r.status == .badRequest)
            #expect((try json(r)["error"] as? String)?.contains("conditions must be a known condition") == true)

            r = try await post(client, "/v1/plan", #"{"minutes": "#)
            #expect(r.status == .badRequest)
            #expect((try json(r)["problems"] as? [[String: Any]])?.first?["field"] as? String == "body")

            r = try await post(client, "/v1/plan", #"{"minutes": 15}"#, type: "text/plain")
            #expect(r.status == .unsupportedMediaType)

            r = try await post(client, "/v1/plan", "{\"minutes\": 15, \"exclude\": [" + String(repeating: "\"x\",", count: 600) + "\"x\"]}")
            #expect(r.status == .contentTooLarge)

            r = try await get(client, "/v1/nothing-here")
            #expect(r.status == .notFound)

            // Programme settings are checked with their path inside the request.
            r = try await post(client, "/v1/programme", #"{"minutes": 15, "programme": {"weeks": 60}}"#)
            #expect(r.status == .badRequest)
            #expect((try json(r)["problems"] as? [[String: Any]])?.first?["field"] as? String == "programme.weeks")

            // After all that the server still plans.
            r = try await post(client, "/v1/plan", #"{"minutes": 10}"#)
            #expect(r.status == .ok)
        }
    }

    @Test("a full queue answers 503 with Retry-After, and /healthz answers at once while every worker is busy")
    func busy() async throws {
        try await withService(threads: 1, queue: 1) { service, client in
            let gate = DispatchSemaphore(value: 0), started = DispatchSemaphore(value: 0)
            #expect(service.pool.submit { _ in started.signal(); gate.wait() })   // the one worker
            started.wait()
            #expect(service.pool.submit { _ in })                                // the one place
            let r = try await post(client, "/v1/plan", #"{"minutes": 15}"#)
            #expect(r.status == .serviceUnavailable)
            #expect(r.headers[.retryAfter] == "1")
            let began = ContinuousClock.now
            let health = try await get(client, "/healthz")
            let took = ContinuousClock.now - began
            #expect(health.status == .ok)
            let body = try json(health)
            #expect(body["busy"] as? Int == 1 && body["queued"] as? Int == 1 && body["workers"] as? Int == 1)
            // It answered while the only worker is still blocked (the gate opens below), so it does
            // not wait for the pool. Its latency under load is measured in benchmarks/README.md
            // (milliseconds); here other suites share the two cores, so only a hang is a failure.
            #expect(took < .seconds(120), "healthz took \(took)")
            gate.signal()
        }
    }

    @Test("a request longer than the server allows is stopped and answered 503")
    func deadline() async throws {
        try await withService(threads: 1, maxSeconds: 0.3) { service, client in
            // A worker that is never freed except by the stop signal, standing in for a long programme.
            let began = ContinuousClock.now
            let r = try await post(client, "/v1/programme",
                                   #"{"equipment": ["any"], "minutes": 40, "programme": {"weeks": 52, "start": "2026-12-07"}}"#)
            let took = ContinuousClock.now - began
            // Either it finished within the allowance (a fast machine) or it was stopped.
            if r.status == .serviceUnavailable {
                #expect((try json(r)["error"] as? String)?.contains("this server allows 0.3 s") == true)
                #expect(r.headers[.retryAfter] == nil)
            } else {
                #expect(r.status == .ok)
            }
            // Unstopped, this programme takes minutes on a debug build; other suites share the cores.
            #expect(took < .seconds(120), "answered after \(took)")
            // The worker frees itself: the stopped programme ends at its solve's next callback
            // (a simplex pass is not interruptible), then a plan is answered. Waiting for that
            // here keeps the next request's 0.3 s from being spent queued behind it.
            let waited = ContinuousClock.now
            while service.pool.busyWorkers > 0 && ContinuousClock.now - waited < .seconds(120) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(service.pool.busyWorkers == 0)
            // And its session plans again (straight on the pool: over HTTP this 0.3 s server
            // could refuse a debug-build plan on a loaded machine).
            var request = PlanRequest()
            request.budgetSeconds = 300
            #expect(try await service.pool.plan(request).status == .partial)
        }
    }

    @Test("POST /v1/programme answers the relief-programme document for the same settings")
    func programme() async throws {
        try await withService { _, client in
            let body = #"{"minutes": 15, "screen": "clear", "programme": {"weeks": 2, "days": 3, "start": "2026-12-07"}}"#
            let r = try await post(client, "/v1/programme", body)
            #expect(r.status == .ok)
            var request = PlanRequest()
            request.budgetSeconds = 900
            request.screen = RedFlagScreen.allClear
            // No time limit: the server bounds the work and the deadline, not the plan's clock.
            var settings = ProgrammeSettings(start: CalendarDate("2026-12-07")!)
            settings.weeks = 2
            settings.reliefWeeks = 2     // a programme shorter than the default relief phase is all relief
            settings.days = 3
            let expected = try ProgrammePlanner(planner: Planner(catalogue: shippedCatalogue)).plan(settings: settings, request: request).jsonText()
            #expect(String(buffer: r.body) == expected)
            let doc = try json(r)
            #expect((doc["weeks"] as? [Any])?.count == 2)
        }
    }

    @Test("the red-flag screen: a yes to saddle numbness is an emergency (NICE NG59, GIRFT cauda equina pathway)")
    func screen() async throws {
        try await withService { _, client in
            var r = try await post(client, "/v1/screen", #"{"answers": {"saddle-numbness": true, "fever": false}}"#)
            var doc = try json(r)
            #expect(doc["status"] as? String == "red_flag")
            #expect(doc["urgency"] as? String == "emergency")
            r = try await post(client, "/v1/plan", #"{"minutes": 15, "screen": {"saddle-numbness": true}}"#)
            doc = try json(r)
            #expect(doc["status"] as? String == "red_flag")
            #expect((doc["exercises"] as? [Any])?.isEmpty == true)
            r = try await post(client, "/v1/screen", #"{"answers": {"not-a-question": true}}"#)
            #expect(r.status == .badRequest)
        }
    }

    @Test("catalogue, conditions, equipment, frontier, metrics and the OpenAPI document")
    func readOnlyRoutes() async throws {
        try await withService { _, client in
            let csv = try String(contentsOf: repository.appendingPathComponent("data/exercises.csv"), encoding: .utf8)
            let dataRows = csv.split(separator: "\n").filter { !$0.hasPrefix("#") }.count - 1      // minus the header
            let catalogue = try json(try await get(client, "/v1/catalogue"))
            #expect((catalogue["exercises"] as? [Any])?.count == dataRows)
            #expect((catalogue["causes"] as? [[String: Any]])?.map { $0["id"] as? String } == ["muscle", "joint", "trigger"])

            let conditions = try json(try await get(client, "/v1/conditions"))["conditions"] as? [[String: Any]] ?? []
            let flexion = conditions.first { $0["id"] as? String == "flexion-intolerant" }
            // Exercises whose avoid_if lists flexion-intolerant, read from the CSV's text here.
            let header = csv.split(separator: "\n").first { !$0.hasPrefix("#") }!.split(separator: ",").map(String.init)
            let avoidColumn = header.firstIndex(of: "avoid_if")!
            let unsafe = csv.split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst().compactMap { line -> String? in
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                return cells.count > avoidColumn && cells[avoidColumn].split(separator: ";").contains("flexion-intolerant") ? cells[0] : nil
            }
            #expect(!unsafe.isEmpty)
            #expect(Set(flexion?["excludes"] as? [String] ?? []) == Set(unsafe))

            let equipment = try json(try await get(client, "/v1/equipment"))["equipment"] as? [[String: Any]] ?? []
            #expect(equipment.contains { $0["id"] as? String == "foam roller" })

            let frontier = try await post(client, "/v1/frontier", #"{"from": 5, "to": 7, "step": 1}"#)
            let points = try json(frontier)["points"] as? [[String: Any]] ?? []
            #expect(points.map { $0["minutes"] as? Double } == [5, 6, 7])

            let bad = try await post(client, "/v1/frontier", #"{"from": 20, "to": 10}"#)
            #expect(bad.status == .badRequest)

            let metrics = String(buffer: try await get(client, "/metrics").body)
            #expect(metrics.contains(#"relief_http_requests_total{route="/v1/frontier",method="POST",status="200"} 1"#))
            #expect(metrics.contains("relief_queue_depth 0"))
            #expect(metrics.contains("relief_solver_duration_seconds_bucket"))

            let served = String(buffer: try await get(client, "/openapi.yaml").body)
            let file = try String(contentsOf: repository.appendingPathComponent("openapi.yaml"), encoding: .utf8)
            #expect(served == file)
            #expect(served.hasPrefix("openapi: 3.1.0"))
        }
    }
}

@Suite("The page")
struct PageTests {
    @Test("GET / is the form; POST / renders the routine with instructions, stop cues and chart")
    func formRoundTrip() async throws {
        try await withService { _, client in
            let page = String(buffer: try await get(client, "/").body)
            #expect(page.contains("<form method=\"post\" action=\"/\""))
            #expect(page.contains("<label for=\"minutes\">"))
            let r = try await post(client, "/", "minutes=20&condition=flexion-intolerant&screen_done=yes",
                                   type: "application/x-www-form-urlencoded")
            #expect(r.status == .ok)
            let html = String(buffer: r.body)
            var request = PlanRequest()
            request.budgetSeconds = 1200
            request.conditions = ["flexion-intolerant"]
            request.screen = RedFlagScreen.allClear
            request.timeLimit = 30
            let plan = try Planner(catalogue: shippedCatalogue).plan(request)
            #expect(!plan.exercises.isEmpty)
            for e in plan.exercises {
                #expect(html.contains(ReliefServer.html(e.name)), "\(e.id) shown")
                #expect(html.contains(ReliefServer.html(e.stopIf)), "\(e.id) stop cue shown")
                #expect(html.contains(ReliefServer.html(e.instructions)), "\(e.id) instructions shown")
            }
            #expect(html.contains("<svg role=\"img\""))
            #expect(html.contains("Left out for you"))
            // The New symptoms block of the printed plan (fourth physiotherapist read, WRONG 3):
            // weakness in a leg is an emergency, today, as the red-flag table's sources give it.
            let block = try #require(html.range(of: "<h3>New symptoms</h3>").map { String(html[$0.upperBound...]) })
            let emergency = try #require(block.split(separator: "\n").first { $0.contains("Go to an emergency department now") })
            #expect(emergency.contains("weaker"), "\(emergency)")

            let fragment = try await client.executeRequest(
                uri: "/", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("X-Relief-Fragment")!: "1"],
                body: ByteBuffer(string: "minutes=abc"))
            #expect(fragment.status == .badRequest)
            let text = String(buffer: fragment.body)
            #expect(!text.contains("<form"))
            #expect(text.contains("minutes must be a number above 0 and at most 1,440, got &quot;abc&quot;"))
        }
    }

    @Test("text from the catalogue and the form is escaped")
    func escaping() {
        #expect(html(#"<script>alert("x") & 'y'</script>"#) == "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;")
        #expect(formDecode("a+b%2Bc%3D") == "a b+c=")
        let (form, problems) = PageForm.parse("minutes=12&condition=knee-pain&bogus=1")
        #expect(form.minutes == "12" && form.conditions == ["knee-pain"])
        #expect(problems.map(\.field) == ["bogus"])
    }
}

/// The same urgency from every entry point: the command line, the API and the page.
@Suite("Urgency everywhere")
struct UrgencyTests {
    /// relief's binary beside the test bundle.
    static var relief: String {
        let products = URL(fileURLWithPath: Bundle.main.bundlePath).deletingLastPathComponent().path
        return FileManager.default.fileExists(atPath: products + "/relief") ? products + "/relief" : repository.path + "/.build/debug/relief"
    }

    @Test("a symptom in a programme log: POST /v1/programme's urgency is relief programme's, and the page says the same for it")
    func sameUrgency() async throws {
        let log = #"{"date":"2026-12-07","kind":"session","done":"all","pain_before":4,"pain_after":4}\n{"date":"2026-12-09","kind":"symptom","symptom":"bladder-bowel"}"#
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-urgency-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The command line: plan, log the same two lines, re-plan as JSON.
        func run(_ args: [String]) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Self.relief)
            p.arguments = args
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, text)
        }
        let data = repository.appendingPathComponent("data").path
        _ = try run(["programme", "--data", data, "--minutes", "15", "--weeks", "2", "--days", "3", "--start", "2026-12-07",
                     "--today", "2026-12-09", "--screen", "clear", "--out", dir + "/p.json"])
        try log.replacingOccurrences(of: "\\n", with: "\n").appending("\n").write(toFile: dir + "/p.log.jsonl", atomically: true, encoding: .utf8)
        let (status, cliText) = try run(["programme", "--replan", dir + "/p.json", "--data", data, "--today", "2026-12-09", "--format", "json"])
        #expect(status == 6)
        let cli = try #require(try JSONSerialization.jsonObject(with: Data(cliText.utf8)) as? [String: Any])
        let cliUrgency = try #require(cli["urgency"] as? [String: Any])
        #expect(cliUrgency["urgency"] as? String == "emergency" && cliUrgency["from"] as? String == "2026-12-09")
        let expected = ["urgency", "advice", "source", "rule"].map { cliUrgency[$0] as? String ?? "?" }

        try await withService { service, client in
            // The service's today is 2026-11-25; the log is dated later, so the programme starts
            // then and the entries are checked against a later "today" by the log only.
            let body = #"{"minutes": 15, "screen": "clear", "programme": {"weeks": 2, "days": 3, "start": "2026-11-16"}, "log": "{\"date\":\"2026-11-16\",\"kind\":\"session\",\"done\":\"all\",\"pain_before\":4,\"pain_after\":4}\n{\"date\":\"2026-11-18\",\"kind\":\"symptom\",\"symptom\":\"bladder-bowel\"}"}"#
            let r = try await post(client, "/v1/programme", body)
            #expect(r.status == .ok)
            let doc = try json(r)
            let api = try #require(doc["urgency"] as? [String: Any])
            for (k, key) in ["urgency", "advice", "source", "rule"].enumerated() {
                #expect(api[key] as? String == expected[k], "\(key)")
            }
            #expect(api["from"] as? String == "2026-11-18")
            #expect((doc["alerts"] as? [String])?.first?.hasPrefix("STOP THE EXERCISES from 2026-11-18 (emergency") == true)
            // The page, with the same symptom ticked: no routine, the same advice and tier.
            let page = try await post(client, "/", "minutes=15&screen_done=yes&symptom=bladder-bowel", type: "application/x-www-form-urlencoded")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("data-urgency=\"emergency\""))
            #expect(html.contains(ReliefServer.html(expected[1])))
            #expect(!html.contains("<table class=\"routine\">"))
            // The screen answers: cancer history with night pain is same day on every route.
            let screen = try json(try await post(client, "/v1/screen", #"{"answers": {"cancer-history": true, "night-pain": true}}"#))
            #expect(screen["urgency"] as? String == "same_day" && screen["status"] as? String == "red_flag")
            let unscreened = String(buffer: try await post(client, "/", "minutes=15", type: "application/x-www-form-urlencoded").body)
            let alert = try #require(unscreened.range(of: "UNSCREENED"))
            #expect(alert.lowerBound < unscreened.range(of: "<table class=\"routine\">")!.lowerBound, "unscreened is said before the routine")
            _ = service
        }
    }
}
