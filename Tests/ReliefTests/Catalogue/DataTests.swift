import Foundation
import ReliefTestSupport
import Testing
@testable import Relief

/// Each case writes a catalogue with one defect and expects the exact diagnostic, whose line
/// and column are read off the fixture text by hand.
@Suite("Strict data loading")
struct DataTests {
    static let causes = TinyCatalogue.causes
    static let header = TinyCatalogue.header
    static let good = "e1,One,strengthen,set,,60,yes,3,0,,,2,0,src,Do."

    /// Loads a catalogue whose exercises.csv is `exercises`; returns the issues' descriptions
    /// with the temporary folder replaced by `DIR`.
    func issues(exercises: String, causes: String = causes) throws -> [String] {
        try withTemporaryDirectory { dir in
            try write(causes, to: dir + "/causes.csv")
            try write(exercises, to: dir + "/exercises.csv")
            let found = Catalogue.check(directory: dir).map { $0.description.replacingOccurrences(of: dir, with: "DIR") }
            do {
                _ = try Catalogue.load(directory: dir)
                #expect(found.isEmpty, "load succeeded where check found problems")
            } catch let e as DataErrors {
                // load stops at the first file with problems; check goes on to say what it skipped
                let loaded = e.issues.map { $0.description.replacingOccurrences(of: dir, with: "DIR") }
                #expect(Array(found.prefix(loaded.count)) == loaded)
            }
            return found
        }
    }

    func row(_ replacing: [Int: String], id: String = "e2") -> String {
        var fields = "\(id),Two,mobilise,set,,30,yes,2,10,,,1,1,src,Do.".split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for (k, v) in replacing { fields[k - 1] = v }
        return fields.joined(separator: ",")
    }

    @Test("the shipped catalogue is valid")
    func shipped() throws {
        #expect(Catalogue.check(directory: Fixtures.shipped).isEmpty)
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        #expect(catalogue.causes.map(\.id) == ["muscle", "joint", "trigger"])
        #expect(catalogue.exercises.count >= 45)
    }

    @Test("numbers: negative, non-numeric, NaN, infinite, zero max_units", arguments: [
        (6, "-30", "DIR/exercises.csv:3:6: seconds_per_unit must be a number from 0.1 to 86,400, got \"-30\""),
        (6, "abc", "DIR/exercises.csv:3:6: seconds_per_unit must be a number from 0.1 to 86,400, got \"abc\""),
        (6, "0x1E", "DIR/exercises.csv:3:6: seconds_per_unit must be a number from 0.1 to 86,400, got \"0x1E\""),
        (12, "nan", "DIR/exercises.csv:3:12: a must be 0, or a number from 0.001 to 1,000, got \"nan\""),
        (13, "inf", "DIR/exercises.csv:3:13: b must be 0, or a number from 0.001 to 1,000, got \"inf\""),
        (13, "-1", "DIR/exercises.csv:3:13: b must be 0, or a number from 0.001 to 1,000, got \"-1\""),
        (8, "0", "DIR/exercises.csv:3:8: max_units must be a number from 0.001 to 1,000, got \"0\""),
        (8, "1.5", "DIR/exercises.csv:3:8: max_units must be a whole number when whole is yes, got \"1.5\""),
        (9, "-5", "DIR/exercises.csv:3:9: setup_seconds must be a number from 0 to 3,600, got \"-5\""),
        (7, "maybe", "DIR/exercises.csv:3:7: whole must be \"yes\" or \"no\", got \"maybe\""),
        (3, "yoga", "DIR/exercises.csv:3:3: modality must be one of release, mobilise, stretch, strengthen, aerobic, got \"yoga\""),
    ])
    func badNumber(column: Int, value: String, expected: String) throws {
        let text = [Self.header, Self.good, row([column: value])].joined(separator: "\n") + "\n"
        #expect(try issues(exercises: text) == [expected])
    }

    @Test("duplicate ids name both lines")
    func duplicate() throws {
        let text = [Self.header, Self.good, row([:], id: "e1")].joined(separator: "\n")
        #expect(try issues(exercises: text) == ["DIR/exercises.csv:3:1: duplicate exercise id \"e1\" (first on line 2)"])
    }

    @Test("header: unknown column, missing cause column, unknown cause column")
    func header() throws {
        let expected = "expected id,name,modality,unit,dose,seconds_per_unit,whole,max_units,setup_seconds,equipment,avoid_if, one column per cause in causes.csv (a,b), source,instructions, and optionally min_units,position,sides,rest_seconds,warm_up,stop_if,cautions,group,harder,dose_kind,reps,rep_seconds,hold_seconds,avoid_why"
        let extra = Self.header + ",colour\n" + Self.good + ",red\n"
        #expect(try issues(exercises: extra) == ["DIR/exercises.csv:1:16: unknown column \"colour\"; \(expected)"])
        let missing = Self.header.replacingOccurrences(of: ",b,", with: ",") + "\n"
        #expect(try issues(exercises: missing) == ["DIR/exercises.csv:1: missing column \"b\"; \(expected)"])
        let unknownCause = Self.header.replacingOccurrences(of: ",b,", with: ",c,") + "\n"
        #expect(try issues(exercises: unknownCause) == [
            "DIR/exercises.csv:1:13: unknown column \"c\"; \(expected)",
            "DIR/exercises.csv:1: missing column \"b\"; \(expected)",
        ])
    }

    @Test("an empty catalogue is an error")
    func empty() throws {
        #expect(try issues(exercises: Self.header + "\n") == ["DIR/exercises.csv: empty catalogue: the file needs at least one exercise"])
    }

    @Test("comment lines and quoted line breaks keep line numbers true")
    func lineNumbers() throws {
        let text = "# a comment\n# another\n" + Self.header + "\n" +
            "e1,One,strengthen,set,,60,yes,3,0,,,2,0,src,\"Two\nlines\"\n" + row([6: "-1"]) + "\n"
        // header on line 3, e1 on lines 4-5, the bad row on line 6
        #expect(try issues(exercises: text) == ["DIR/exercises.csv:6:6: seconds_per_unit must be a number from 0.1 to 86,400, got \"-1\""])
    }

    @Test("every problem is reported, not just the first")
    func allProblems() throws {
        let text = [Self.header, row([6: "x", 8: "0"]), row([12: "-2"], id: "e3")].joined(separator: "\n")
        #expect(try issues(exercises: text).count == 3)
    }

    @Test("causes.csv problems stop the exercises check, and say why")
    func badCauses() throws {
        let causes = "id,name,description,default_minimum\na,Cause A,first,lots\n"
        #expect(try issues(exercises: Self.header + "\n" + Self.good, causes: causes) == [
            "DIR/causes.csv:2:4: default_minimum must be 0, or a number from 0.001 to 100,000, got \"lots\"",
            "DIR/exercises.csv: not checked: causes.csv must load first, because its cause ids name the benefit columns",
        ])
    }

    @Test("weights files: unknown ids and causes, bad numbers, repeated pairs")
    func weights() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.hand)
        try withTemporaryDirectory { dir in
            let path = dir + "/w.csv"
            try write("exercise_id,cause,points\ne1,a,3\nzz,a,1\ne1,q,1\ne2,b,-1\ne1,a,4\n", to: path)
            do {
                _ = try WeightOverrides.load(path: path, catalogue: catalogue)
                Issue.record("bad weights were accepted")
            } catch let e as DataErrors {
                #expect(e.issues.map(\.description) == [
                    "\(path):3:1: unknown exercise id \"zz\"; it is not in the catalogue",
                    "\(path):4:2: unknown cause \"q\"; expected one of a, b",
                    "\(path):5:3: points must be 0, or a number from 0.001 to 1,000, got \"-1\"",
                    "\(path):6:1: \"e1\",\"a\" is given twice (first on line 2)",
                ])
            }
            // A good file changes the weights: e1 giving 4 points to A means the blend cap
            // (2 points) allows half a set, so e1 can no longer be used at all.
            try write("exercise_id,cause,points\ne1,a,4\n", to: path)
            let tuned = try WeightOverrides.load(path: path, catalogue: catalogue).applied(to: catalogue)
            #expect(tuned.exercises[0].benefits == [4, 0])
        }
    }

    @Test("profiles: the shipped ones load; unknown names are errors")
    func profiles() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let dir = Fixtures.shipped + "/profiles"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 10)
        for f in files { _ = try Profile.load(path: dir + "/" + f, catalogue: catalogue) }
        try withTemporaryDirectory { tmp in
            let path = tmp + "/p.json"
            try write(#"{"name": "x", "conditions": ["bad-knees"], "max_share": 2}"#, to: path)
            #expect(throws: DataErrors.self) { try Profile.load(path: path, catalogue: catalogue) }
            try write(#"{"name": 3}"#, to: path)
            #expect(throws: DataErrors.self) { try Profile.load(path: path, catalogue: catalogue) }
        }
    }
}
