import Foundation
import ReliefTestSupport
import Testing
import Relief
@testable import ReliefFormats

@Suite("FHIR export: stable ids")
struct FHIRStableIDTests {
    @Test("SHA-256 gives FIPS 180-2's published digests (one block, the empty message, two blocks)")
    func digests() {
        #expect(SHA256Digest.hex(SHA256Digest.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex(SHA256Digest.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex(SHA256Digest.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("a name-based UUID is the digest's first 16 bytes with version 8 and the RFC 9562 variant")
    func uuid() {
        // SHA-256("abc") begins ba7816bf 8f01 cfea 4141 40de5dae2223: byte 6 0xcf → 0x8f
        // (version 8), byte 8 0x41 → 0x81 (variant 10).
        #expect(nameBasedUUID("abc") == "ba7816bf-8f01-8fea-8141-40de5dae2223")
        #expect(nameBasedUUID("abc") != nameBasedUUID("abd"))
    }
}

@Suite("FHIR export: a programme and its log")
struct FHIRBundleTests {
    static let start = CalendarDate("2026-12-01")!

    func programme(log lines: [String]) throws -> (Programme, ProgrammeLog) {
        let (planner, settings, request, catalogue) = try ProgrammeFixture.setup(weeks: 2, reliefWeeks: 2)
        let log = try ProgrammeFixture.log(lines, settings, catalogue, today: CalendarDate("2026-12-14")!)
        return (try planner.plan(settings: settings, request: request, log: log), log)
    }

    static let lines = [
        #"{"date":"2026-12-01","kind":"session","done":"all","pain_before":5,"pain_after":4,"effort":5}"#,
        #"{"date":"2026-12-02","kind":"morning","pain":4}"#,
        #"{"date":"2026-12-03","kind":"morning","pain":3.5}"#,
    ]

    func bundle(_ export: FHIRExport) throws -> [String: Any] {
        let text = try export.jsonText()
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func resources(_ b: [String: Any], _ type: String) -> [[String: Any]] {
        ((b["entry"] as? [[String: Any]]) ?? []).compactMap { $0["resource"] as? [String: Any] }.filter { $0["resourceType"] as? String == type }
    }

    @Test("a collection Bundle: the Patient by its identifier alone, the order coded SNOMED CT 229065009 over the programme's two weeks")
    func orderAndPatient() throws {
        let (p, log) = try programme(log: Self.lines)
        let b = try bundle(FHIRExport(identifiers: [FHIRIdentifier(system: "urn:oid:1.2.3", value: "RP-0042")], programme: p, log: log))
        #expect(b["resourceType"] as? String == "Bundle" && b["type"] as? String == "collection")
        #expect(b["timestamp"] == nil)
        let patient = try #require(resources(b, "Patient").first)
        #expect(patient["name"] == nil)
        let ident = try #require((patient["identifier"] as? [[String: Any]])?.first)
        #expect(ident["system"] as? String == "urn:oid:1.2.3" && ident["value"] as? String == "RP-0042")
        let order = try #require(resources(b, "ServiceRequest").first)
        #expect(order["status"] as? String == "active" && order["intent"] as? String == "order")
        let coding = try #require(((order["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
        #expect(coding["system"] as? String == "http://snomed.info/sct" && coding["code"] as? String == "229065009")
        // 2 weeks from Tuesday 2026-12-01: the 14th day is Monday 2026-12-14.
        let period = try #require(order["occurrencePeriod"] as? [String: String])
        #expect(period == ["start": "2026-12-01", "end": "2026-12-14"])
        let plan = try #require(resources(b, "CarePlan").first)
        #expect(plan["status"] as? String == "active" && plan["intent"] as? String == "plan")
        #expect(plan["period"] as? [String: String] == ["start": "2026-12-01", "end": "2026-12-14"])
        // References: the Patient's fullUrl in both subjects; the plan's first activity is the order.
        let entries = try #require(b["entry"] as? [[String: Any]])
        func url(_ type: String) -> String? {
            entries.first { ($0["resource"] as? [String: Any])?["resourceType"] as? String == type }?["fullUrl"] as? String
        }
        #expect((order["subject"] as? [String: String])?["reference"] == url("Patient"))
        #expect((plan["subject"] as? [String: String])?["reference"] == url("Patient"))
        let activities = try #require(plan["activity"] as? [[String: Any]])
        #expect((activities.first?["reference"] as? [String: String])?["reference"] == url("ServiceRequest"))
        #expect(((order["basedOn"] as? [[String: String]])?.first)?["reference"] == url("CarePlan"))
        // A name only when given.
        let named = try bundle(FHIRExport(identifiers: [], name: "Ann Example", programme: p, log: log))
        #expect(((resources(named, "Patient").first?["name"] as? [[String: String]])?.first)?["text"] == "Ann Example")
    }

    @Test("the plan's activities: every (day, exercise) of the programme once, on the week's days, at its dose, weekly")
    func activities() throws {
        let (p, log) = try programme(log: Self.lines)
        let plan = try #require(resources(try bundle(FHIRExport(identifiers: [], programme: p, log: log)), "CarePlan").first)
        let details = ((plan["activity"] as? [[String: Any]]) ?? []).compactMap { $0["detail"] as? [String: Any] }
        // Counted from the programme's own days: each session's exercises, each walk day.
        var expected: [String: Int] = [:]
        for w in p.weeks { for d in w.days {
            for e in d.session { expected["\(w.number)/\(e.id)", default: 0] += 1 }
            if d.walkMinutes > 0 { expected["\(w.number)/walk", default: 0] += 1 }
        } }
        var seen: [String: Int] = [:]
        for d in details {
            #expect(d["status"] as? String == "scheduled")
            let timing = try #require(d["scheduledTiming"] as? [String: Any])
            let events = try #require(timing["event"] as? [String])
            let rep = try #require(timing["repeat"] as? [String: Any])
            #expect(rep["frequency"] as? Int == events.count && rep["period"] as? Int == 1 && rep["periodUnit"] as? String == "wk")
            let bounds = try #require(rep["boundsPeriod"] as? [String: String])
            let start = try #require(bounds["start"])
            let first = try #require(CalendarDate(start))
            #expect(bounds["end"] == first.adding(days: 6).description)
            let week = (first.ordinal - Self.start.ordinal) / 7 + 1
            #expect(events.allSatisfy { e in CalendarDate(e).map { $0 >= first && $0 <= first.adding(days: 6) } ?? false })
            let code = try #require(((d["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
            let id = try #require(code["code"] as? String)
            let isWalk = (d["description"] as? String ?? "").contains("minutes a day")
            // Sessions at the default session time, 08:00; walks have no time of their own.
            #expect((rep["timeOfDay"] as? [String]) == (isWalk ? nil : ["08:00:00"]))
            seen["\(week)/\(isWalk ? "walk" : id)", default: 0] += events.count
            if !isWalk {
                let e = try #require(p.weeks[week - 1].days.flatMap(\.session).first { $0.id == id })
                #expect((d["description"] as? String ?? "").contains(e.name))
            }
        }
        #expect(seen == expected)
    }

    @Test("pains are Observations of LOINC 72514-3 in UCUM {score} on the logged dates; the same input writes the same bytes")
    func pains() throws {
        let (p, log) = try programme(log: Self.lines)
        let export = FHIRExport(identifiers: [FHIRIdentifier(value: "RP-0042")], programme: p, log: log)
        let b = try bundle(export)
        let obs = resources(b, "Observation")
        // The log's four pains: 5 and 4 around the session of 12-01, the mornings of 12-02 and 12-03.
        let got = obs.map { o -> String in
            let q = o["valueQuantity"] as? [String: Any]
            return "\(o["effectiveDateTime"] as? String ?? "") \((q?["value"] as? NSNumber)?.doubleValue ?? -1)"
        }
        #expect(got == ["2026-12-01 5.0", "2026-12-01 4.0", "2026-12-02 4.0", "2026-12-03 3.5"])
        for o in obs {
            #expect(o["status"] as? String == "final")
            let coding = try #require(((o["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
            #expect(coding["system"] as? String == "http://loinc.org" && coding["code"] as? String == "72514-3")
            let q = try #require(o["valueQuantity"] as? [String: Any])
            #expect(q["system"] as? String == "http://unitsofmeasure.org" && q["code"] as? String == "{score}")
            let category = try #require((((o["category"] as? [[String: Any]])?.first)?["coding"] as? [[String: Any]])?.first)
            #expect(category["code"] as? String == "survey")
        }
        #expect(try export.jsonText() == (try export.jsonText()))
        // Another patient: other ids throughout.
        let other = try FHIRExport(identifiers: [FHIRIdentifier(value: "RP-0043")], programme: p, log: log).jsonText()
        let ids = Set(((b["entry"] as? [[String: Any]]) ?? []).compactMap { $0["fullUrl"] as? String })
        #expect(ids.count == ((b["entry"] as? [Any])?.count ?? 0))
        #expect(ids.allSatisfy { !other.contains($0) })
    }

    @Test("an emergency symptom puts the order and the plan on hold and is an Observation of its own")
    func onHold() throws {
        let (p, log) = try programme(log: Self.lines + [#"{"date":"2026-12-04","kind":"symptom","symptom":"saddle-numbness"}"#])
        let b = try bundle(FHIRExport(identifiers: [], programme: p, log: log))
        #expect(resources(b, "ServiceRequest").first?["status"] as? String == "on-hold")
        #expect(resources(b, "CarePlan").first?["status"] as? String == "on-hold")
        let symptom = try #require(resources(b, "Observation").first { $0["valueBoolean"] as? Bool == true })
        #expect(symptom["effectiveDateTime"] as? String == "2026-12-04")
        let coding = try #require(((symptom["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
        #expect(coding["code"] as? String == "saddle-numbness")
    }

    @Test("an outcome score is one more Observation, derived from its QuestionnaireResponse")
    func outcome() throws {
        let (p, log) = try programme(log: Self.lines)
        var export = FHIRExport(identifiers: [], programme: p, log: log)
        export.outcomes = [FHIROutcomeScore(date: CalendarDate("2026-12-01")!, code: FHIRCoding(system: "https://example.org/rmdq", code: "total"),
                                            title: "RMDQ score", score: 2, questionnaire: "https://example.org/Questionnaire/rmdq",
                                            answers: [.init(linkId: "1", value: .boolean(true)), .init(linkId: "2", value: .boolean(true))],
                                            key: "rmdq/2026-12-01")]
        let text = try export.jsonText()
        let b = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let response = try #require(resources(b, "QuestionnaireResponse").first)
        #expect(response["status"] as? String == "completed" && (response["item"] as? [Any])?.count == 2)
        let score = try #require(resources(b, "Observation").first { $0["derivedFrom"] != nil })
        #expect(((score["valueQuantity"] as? [String: Any])?["value"] as? Int) == 2)
        let entries = try #require(b["entry"] as? [[String: Any]])
        let responseURL = entries.first { ($0["resource"] as? [String: Any])?["resourceType"] as? String == "QuestionnaireResponse" }?["fullUrl"] as? String
        #expect(((score["derivedFrom"] as? [[String: String]])?.first)?["reference"] == responseURL)
    }
}
